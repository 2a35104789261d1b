package io.quasid.ranking.tiger;

import io.quasid.spi.CodebookShape;
import io.quasid.spi.Sid;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each catalogue item's name for generative retrieval (METHOD.md §7): its {@code L} SID codes plus a
 * de-duplication code {@code d}, 0 for the first item (in item-id order) holding a SID, 1 for the next,
 * and so on, so that no two items share a token sequence. Position {@code l} ({@code 0..L}) has its own
 * vocabulary: {@code K} codes for the SID levels, the largest group for the de-duplication position.
 */
public final class ItemTokens {
    private final int[][] tokens;
    private final int[] vocabulary;

    private ItemTokens(int[][] tokens, int[] vocabulary) {
        this.tokens = tokens;
        this.vocabulary = vocabulary;
    }

    /** The tokens of items {@code 0..n-1} with ids {@code ids} and SIDs {@code sids} of {@code shape}. */
    public static ItemTokens of(List<String> ids, Sid[] sids, CodebookShape shape) {
        if (ids.size() != sids.length) {
            throw new IllegalArgumentException(ids.size() + " item ids but " + sids.length + " SIDs");
        }
        int n = sids.length;
        int levels = shape.levels();
        Integer[] byId = new Integer[n];
        for (int i = 0; i < n; i++) {
            byId[i] = i;
            shape.requireFits(sids[i]);
        }
        Arrays.sort(byId, (a, b) -> ids.get(a).compareTo(ids.get(b)));
        Map<Sid, Integer> taken = new HashMap<>();
        int[][] tokens = new int[n][levels + 1];
        int group = 1;
        for (int i : byId) {
            int d = taken.merge(sids[i], 1, Integer::sum) - 1;
            group = Math.max(group, d + 1);
            for (int l = 0; l < levels; l++) {
                tokens[i][l] = sids[i].code(l);
            }
            tokens[i][levels] = d;
        }
        int[] vocabulary = new int[levels + 1];
        Arrays.fill(vocabulary, 0, levels, shape.codes());
        vocabulary[levels] = group;
        return new ItemTokens(tokens, vocabulary);
    }

    /** Number of items. */
    public int items() {
        return tokens.length;
    }

    /** Tokens per item: {@code L + 1}. */
    public int length() {
        return vocabulary.length;
    }

    /** The vocabulary size of every position, {@code 0..L}. */
    public int[] vocabularies() {
        return vocabulary.clone();
    }

    /** The vocabulary size of position {@code l}. */
    public int vocabulary(int l) {
        return vocabulary[l];
    }

    /** Item {@code i}'s token at position {@code l}. */
    public int token(int i, int l) {
        return tokens[i][l];
    }

    /** A copy of item {@code i}'s tokens. */
    public int[] tokens(int i) {
        return tokens[i].clone();
    }
}
