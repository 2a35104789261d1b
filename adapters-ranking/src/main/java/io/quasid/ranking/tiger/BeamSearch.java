package io.quasid.ranking.tiger;

import io.quasid.ranking.Scored;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Beam search constrained to the catalogue's trie (METHOD.md §7): at each position every beam is
 * extended only by tokens that keep it a prefix of some item, scored by the sum of the model's token
 * log-probabilities, and the best {@code beam} extensions go on. Every finished sequence is a distinct
 * catalogue item; the list is the best {@code k} of them.
 */
public final class BeamSearch {
    /** The model's side: log-probabilities of the next token for a batch of prefixes. */
    public interface Scorer {
        /**
         * For each user {@code u} and each of its prefixes (all of length {@code position}), the
         * log-probabilities over position {@code position}'s vocabulary: {@code [u][prefix][token]}.
         * {@code parents[u][h]}: which of the user's prefixes of the call before prefix {@code h} extends
         * (0 at position 0), so a scorer may keep what it computed for the shorter prefixes.
         */
        float[][][] logProbabilities(int position, int[][][] prefixes, int[][] parents);
    }

    private final CatalogueTrie trie;
    private final int beam;

    public BeamSearch(CatalogueTrie trie, int beam) {
        if (beam < 1) {
            throw new IllegalArgumentException("beam = " + beam + " is out of range: allowed [1, " + Integer.MAX_VALUE + "]");
        }
        this.trie = trie;
        this.beam = beam;
    }

    /** A prefix, its trie node, its score and which hypothesis of the position before it extends. */
    private record Hypothesis(int[] tokens, int node, double score, int parent) {}

    /** For each of {@code users} users, the best {@code min(k, beam)} items, best first, scored by their sequence log-probability. */
    public List<List<Scored>> search(int users, int k, Scorer scorer) {
        List<List<Hypothesis>> beams = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            beams.add(List.of(new Hypothesis(new int[0], 0, 0, 0)));
        }
        for (int position = 0; position < trie.depth(); position++) {
            int[][][] prefixes = new int[users][][];
            int[][] parents = new int[users][];
            for (int u = 0; u < users; u++) {
                prefixes[u] = beams.get(u).stream().map(Hypothesis::tokens).toArray(int[][]::new);
                parents[u] = beams.get(u).stream().mapToInt(Hypothesis::parent).toArray();
            }
            float[][][] logp = scorer.logProbabilities(position, prefixes, parents);
            for (int u = 0; u < users; u++) {
                // the best `beam` extensions, kept in a min-heap on score
                PriorityQueue<Hypothesis> best = new PriorityQueue<>((a, b) -> Double.compare(a.score(), b.score()));
                List<Hypothesis> current = beams.get(u);
                for (int h = 0; h < current.size(); h++) {
                    Hypothesis from = current.get(h);
                    for (int token : trie.next(from.node())) {
                        double score = from.score() + logp[u][h][token];
                        if (best.size() < beam || score > best.peek().score()) {
                            int[] tokens = Arrays.copyOf(from.tokens(), position + 1);
                            tokens[position] = token;
                            best.add(new Hypothesis(tokens, trie.child(from.node(), token), score, h));
                            if (best.size() > beam) {
                                best.poll();
                            }
                        }
                    }
                }
                List<Hypothesis> next = new ArrayList<>(best);
                next.sort((a, b) -> Double.compare(b.score(), a.score()));
                beams.set(u, next);
            }
        }
        List<List<Scored>> out = new ArrayList<>();
        for (List<Hypothesis> finished : beams) {
            out.add(finished.stream().limit(k).map(h -> new Scored(trie.item(h.node()), h.score())).toList());
        }
        return out;
    }
}
