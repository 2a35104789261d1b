package io.quasid.core.pairs;

import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.spi.PairSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collaborative item pairs scored by Swing (METHOD.md §2) on the training interactions only:
 * {@code sim(i, j) = sum over user pairs u != v who both have i and j of w_u w_v / (alpha + |I_u & I_v|)},
 * {@code w_u = (|I_u| + alpha1)^(-beta_s)}. Each item keeps its {@code top_k} neighbours (ties by
 * catalogue index); every (item, neighbour) is one (trigger, target) pair.
 */
public final class SwingPairs implements PairSource {
    private final int[] triggers;
    private final int[] targets;
    private final float[] scores;

    private SwingPairs(int[] triggers, int[] targets, float[] scores) {
        this.triggers = triggers;
        this.targets = targets;
        this.scores = scores;
    }

    /** Scores every co-interacted item pair of the split's training part. */
    public static SwingPairs of(LeaveOneOutSplit split, SwingConfig config) {
        int users = split.dataset().userCount();
        int items = split.dataset().catalogue().size();
        int[][] itemsOf = new int[users][];
        double[] weight = new double[users];
        for (int u = 0; u < users; u++) {
            itemsOf[u] = Arrays.stream(split.train(u)).distinct().sorted().toArray();
            weight[u] = Math.pow(itemsOf[u].length + config.alpha1(), -config.betaS());
        }
        SwingTerms terms = new SwingTerms(itemsOf, SwingTerms.usersOf(itemsOf, items), weight, config.alpha());
        List<int[]> pairs = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            int trigger = i;
            terms.bestOfTrigger(i, config.topK(), (j, score) -> { // ties by catalogue index
                pairs.add(new int[] {trigger, j});
                scores.add((float) score);
            });
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("Swing found no item pairs: no two users share two training items");
        }
        int[] triggers = new int[pairs.size()];
        int[] targets = new int[pairs.size()];
        float[] s = new float[pairs.size()];
        for (int p = 0; p < pairs.size(); p++) {
            triggers[p] = pairs.get(p)[0];
            targets[p] = pairs.get(p)[1];
            s[p] = scores.get(p);
        }
        return new SwingPairs(triggers, targets, s);
    }

    @Override
    public int size() {
        return triggers.length;
    }

    @Override
    public int trigger(int k) {
        return triggers[k];
    }

    @Override
    public int target(int k) {
        return targets[k];
    }

    /** The Swing score of pair {@code k}. */
    public float score(int k) {
        return scores[k];
    }
}
