package io.quasid.ranking.sasrec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.core.ranking.RankingMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/** A trained ranking model: ranks the whole catalogue for a user's recent items. Close it to free native memory. */
public final class SasRecModel implements AutoCloseable {
    /** Users scored per batch when evaluating. */
    private static final int EVAL_USERS = 1024;

    private final SasRecNetwork network;
    private final SasRecConfig config;

    private SasRecModel(SasRecNetwork network, SasRecConfig config) {
        this.network = network;
        this.config = config;
    }

    static SasRecModel of(SasRecNetwork network, SasRecConfig config) {
        return new SasRecModel(network, config);
    }

    /** Scores of every catalogue item for each history (oldest first, at most {@code max_length} used). */
    public float[][] scores(List<int[]> histories) {
        int t = config.maxLength();
        float[][] out = new float[histories.size()][];
        try (NDManager m = network.manager().newSubManager(); NDScope scope = new NDScope()) {
            long[] inputs = new long[histories.size() * t];
            java.util.Arrays.fill(inputs, -1);
            for (int b = 0; b < histories.size(); b++) {
                int[] h = histories.get(b);
                int n = Math.min(t, h.length);
                for (int k = 0; k < n; k++) {
                    inputs[b * t + t - n + k] = h[h.length - n + k];
                }
            }
            NDArray vectors = network.itemVectors();
            NDArray last = network.forward(m.create(inputs, new Shape(histories.size(), t)), vectors, false)
                    .get(new NDIndex(":, -1, :"));
            float[] flat = last.matMul(vectors.transpose()).toFloatArray();
            int n = network.items();
            for (int b = 0; b < out.length; b++) {
                out[b] = java.util.Arrays.copyOfRange(flat, b * n, (b + 1) * n);
            }
        }
        return out;
    }

    /**
     * Full-catalogue ranking metrics on the test targets ({@code test = true}) or the validation targets,
     * over the evaluated users whose target passes {@code targets} (all when null).
     */
    public RankingMetrics evaluate(LeaveOneOutSplit split, boolean test, IntPredicate targets) {
        RankingMetrics metrics = new RankingMetrics();
        List<int[]> histories = new ArrayList<>();
        List<Integer> answers = new ArrayList<>();
        for (int u = 0; u < split.dataset().userCount(); u++) {
            if (!split.evaluated(u)) {
                continue;
            }
            int target = test ? split.testTarget(u) : split.validationTarget(u);
            if (targets != null && !targets.test(target)) {
                continue;
            }
            histories.add(test ? split.testHistory(u, config.maxLength()) : split.validationHistory(u, config.maxLength()));
            answers.add(target);
            if (histories.size() == EVAL_USERS) {
                rank(histories, answers, metrics);
            }
        }
        rank(histories, answers, metrics);
        return metrics;
    }

    private void rank(List<int[]> histories, List<Integer> answers, RankingMetrics metrics) {
        if (histories.isEmpty()) {
            return;
        }
        float[][] s = scores(histories);
        for (int b = 0; b < s.length; b++) {
            metrics.add(RankingMetrics.rank(s[b], answers.get(b)));
        }
        histories.clear();
        answers.clear();
    }

    @Override
    public void close() {
        network.close();
    }
}
