package io.quasid.ranking.sasrec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.core.ranking.RankingMetrics;
import ai.djl.Device;
import io.quasid.core.io.AtomicFiles;
import io.quasid.core.io.InputFileException;
import io.quasid.core.io.Json;
import io.quasid.core.sid.SidTable;
import io.quasid.ranking.ModelFiles;
import io.quasid.core.training.Weights;
import io.quasid.ranking.HistoryRule;
import io.quasid.ranking.RankingModel;
import io.quasid.ranking.Scored;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * A trained ranking model: ranks the whole catalogue for a user's recent items. It knows the catalogue's
 * item ids and SIDs it was trained with, can be saved to a folder and loaded again (for serving), and
 * must be closed to free native memory.
 */
public final class SasRecModel implements RankingModel {
    /** Version of the saved format ({@code model.json} and {@code weights/*.npy}). */
    public static final int FORMAT_VERSION = 1;
    /** Users scored per batch when evaluating. */
    private static final int EVAL_USERS = 1024;

    private final SasRecNetwork network;
    private final SasRecConfig config;
    private final SidTable trained; // the network's items
    private volatile SidTable sids; // the trained items, then any added for serving
    private NDArray servingVectors; // of the items of sids, once serving has begun

    private SasRecModel(SasRecNetwork network, SasRecConfig config, SidTable sids) {
        this.network = network;
        this.config = config;
        this.trained = sids;
        this.sids = sids;
    }

    static SasRecModel of(SasRecNetwork network, SasRecConfig config, SidTable sids) {
        return new SasRecModel(network, config, sids);
    }

    /** What {@code model.json} holds besides the weights. */
    record ModelFile(int formatVersion, SasRecConfig config, int codes, List<String> items, int[][] sids, int[] dedup) {}

    /** Writes {@code model.json} and {@code weights/} into {@code dir}, atomically: the trained model, without items added for serving. */
    @Override
    public void save(Path dir) {
        AtomicFiles.writeDirectory(dir, tmp -> {
            Json.write(tmp.resolve("model.json"), new ModelFile(FORMAT_VERSION, config, trained.shape().codes(), trained.items(), ModelFiles.codes(trained),
                    trained.dedups()));
            Path weights = Files.createDirectories(tmp.resolve("weights"));
            Weights.write(weights, network.parameters());
        });
    }

    /**
     * Loads a model saved by {@link #save}, for serving: its parameters do not record gradients. Fails
     * naming the file on another format version or missing weights.
     */
    public static SasRecModel load(Path dir, Device device) {
        Path file = dir.resolve("model.json");
        if (!Files.isRegularFile(file)) {
            throw new InputFileException(dir, "is not a saved ranking model: model.json is missing");
        }
        ModelFile m;
        try {
            m = Json.MAPPER.treeToValue(Json.read(file), ModelFile.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new InputFileException(file, "is not a ranking model description: " + e.getMessage());
        }
        if (m.formatVersion() != FORMAT_VERSION) {
            throw new InputFileException(file, "has format version " + m.formatVersion() + ", this build reads " + FORMAT_VERSION);
        }
        SidTable sids = ModelFiles.table(file, m.items(), m.sids(), m.dedup(), m.codes());
        SasRecNetwork network = new SasRecNetwork(m.config(), sids, new boolean[sids.size()], device, 0); // weights follow
        try {
            Weights.read(dir.resolve("weights"), network.parameters());
            network.parameters().values().forEach(p -> p.setRequiresGradient(false));
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
        return new SasRecModel(network, m.config(), sids);
    }

    public SasRecConfig config() {
        return config;
    }

    @Override
    public SidTable sids() {
        return sids;
    }

    /**
     * Scores of every catalogue item for each history (oldest first), for serving: one forward pass for
     * the whole batch, the item vectors computed once and kept, so call it only on a model that no longer
     * trains (a {@link #load loaded} one). Thread-safe.
     */
    public float[][] servingScores(List<int[]> histories) {
        return scores(histories, servingVectors());
    }

    /**
     * Grows the catalogue to {@code catalogue}: its first rows must be this model's items unchanged (as
     * {@code StableAssignment.extend} of {@link #sids()} makes it), the others are new items, which are scored
     * from their SID rows at once (the network's rows they share; no id row). Not concurrent with
     * {@link #servingScores}: the caller holds serving off meanwhile (the A/B service does).
     */
    @Override
    public synchronized void addItems(SidTable catalogue) {
        checkAddItems(catalogue);
        NDArray vectors;
        try (NDScope scope = new NDScope()) {
            vectors = network.itemVectors(catalogue).stopGradient();
            NDScope.unregister(vectors);
        }
        NDArray old = servingVectors;
        servingVectors = vectors;
        sids = catalogue;
        if (old != null) {
            old.close();
        }
    }

    @Override
    public void checkAddItems(SidTable catalogue) {
        if (!config.features().usesSid()) {
            throw new IllegalArgumentException("a ranking model on id features alone cannot score items new to it: it has no SID rows");
        }
        ModelFiles.requireExtends(sids, catalogue);
    }

    /** The best {@code k} items for each history by {@link #servingScores}, best first, following {@code rule}. */
    @Override
    public List<List<Scored>> recommend(List<int[]> histories, int k, HistoryRule rule) {
        float[][] scores = servingScores(histories);
        List<List<Scored>> out = new ArrayList<>(histories.size());
        for (int b = 0; b < scores.length; b++) {
            float[] s = scores[b];
            java.util.Set<Integer> leftOut = rule.leftOut(histories.get(b));
            java.util.PriorityQueue<Integer> best = new java.util.PriorityQueue<>(k + 1, (x, y) -> Float.compare(s[x], s[y]));
            for (int i = 0; i < s.length; i++) {
                if (leftOut.contains(i)) {
                    continue;
                }
                if (best.size() < k) {
                    best.add(i);
                } else if (s[i] > s[best.peek()]) {
                    best.poll();
                    best.add(i);
                }
            }
            List<Scored> list = new ArrayList<>(best.size());
            while (!best.isEmpty()) {
                int i = best.poll();
                list.add(new Scored(i, s[i]));
            }
            java.util.Collections.reverse(list);
            out.add(list);
        }
        return out;
    }

    /** The histories as model input, {@code (B, T)} row-major: the last {@code T} items of each, left-padded with {@code -1}. */
    private long[] inputs(List<int[]> histories) {
        int t = config.maxLength();
        long[] inputs = new long[histories.size() * t];
        java.util.Arrays.fill(inputs, -1);
        for (int b = 0; b < histories.size(); b++) {
            int[] h = histories.get(b);
            int n = Math.min(t, h.length);
            for (int k = 0; k < n; k++) {
                inputs[b * t + t - n + k] = h[h.length - n + k];
            }
        }
        return inputs;
    }

    private synchronized NDArray servingVectors() {
        if (servingVectors == null) {
            try (NDScope scope = new NDScope()) {
                servingVectors = network.itemVectors(sids).stopGradient();
                NDScope.unregister(servingVectors);
            }
        }
        return servingVectors;
    }

    private float[][] scores(List<int[]> histories, NDArray vectors) {
        float[][] out = new float[histories.size()][];
        try (NDManager m = network.manager().newSubManager(); NDScope scope = new NDScope()) {
            float[] flat = scores(m, histories, vectors).toFloatArray();
            int n = (int) vectors.getShape().get(0);
            for (int b = 0; b < out.length; b++) {
                out[b] = java.util.Arrays.copyOfRange(flat, b * n, (b + 1) * n);
            }
        }
        return out;
    }

    /** Every catalogue item's score for each history, {@code (B, n)}, on the model's device. */
    private NDArray scores(NDManager m, List<int[]> histories, NDArray vectors) {
        NDArray last = network.forward(m.create(inputs(histories), new Shape(histories.size(), config.maxLength())), vectors, false)
                .get(new NDIndex(":, -1, :"));
        return last.matMul(vectors.transpose());
    }

    /**
     * The 0-based rank of each target among the catalogue items for its history that {@code rule} lets
     * be listed, as {@link RankingMetrics#rank} counts it (items scored higher, plus half of the others
     * tied with it); a target the rule leaves out is a miss. Counted on the device (only the ranks come
     * back) when the rule keeps every item.
     */
    long[] ranks(List<int[]> histories, int[] targets, HistoryRule rule) {
        try (NDManager m = network.manager().newSubManager(); NDScope scope = new NDScope()) {
            NDArray s = scores(m, histories, network.itemVectors());
            long[] ranks = new long[targets.length];
            if (rule == HistoryRule.KEEP) {
                // in place, in float: v = sign(s - t) per item; sum(v) = higher - lower and sum(v^2) = higher + lower,
                // both integers below 2^24 and so exact (boolean counts would each be copied to int64 first)
                NDArray v = s.subi(s.gather(m.create(java.util.Arrays.stream(targets).asLongStream().toArray()).expandDims(1), 1)).signi();
                float[] difference = v.sum(new int[] {1}).toFloatArray();
                float[] unequal = v.muli(v).sum(new int[] {1}).toFloatArray();
                int n = (int) s.getShape().get(1);
                for (int b = 0; b < ranks.length; b++) {
                    long higher = ((long) difference[b] + (long) unequal[b]) / 2;
                    long tied = n - (long) unequal[b];
                    ranks[b] = higher + (tied - 1) / 2;
                }
                return ranks;
            }
            float[] flat = s.toFloatArray();
            int n = network.items();
            for (int b = 0; b < ranks.length; b++) {
                java.util.Set<Integer> leftOut = rule.leftOut(histories.get(b));
                if (leftOut.contains(targets[b])) {
                    ranks[b] = Integer.MAX_VALUE;
                    continue;
                }
                float t = flat[b * n + targets[b]];
                long higher = 0;
                long tied = 0;
                for (int i = 0; i < n; i++) {
                    float v = flat[b * n + i];
                    if (!leftOut.contains(i)) {
                        higher += v > t ? 1 : 0;
                        tied += v == t ? 1 : 0;
                    }
                }
                ranks[b] = higher + (tied - 1) / 2;
            }
            return ranks;
        }
    }

    /**
     * Full-catalogue ranking metrics on the test targets ({@code test = true}) or the validation targets,
     * over the evaluated users whose target passes {@code targets} (all when null), following {@code rule}.
     */
    @Override
    public long[] targetRanks(LeaveOneOutSplit split, boolean test, IntPredicate targets, HistoryRule rule) {
        List<Long> ranks = new ArrayList<>();
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
            // the whole history: the rule leaves all of it out; the network reads its last max_length items
            histories.add(test ? split.testHistory(u, Integer.MAX_VALUE) : split.validationHistory(u, Integer.MAX_VALUE));
            answers.add(target);
            if (histories.size() == EVAL_USERS) {
                rank(histories, answers, ranks, rule);
            }
        }
        rank(histories, answers, ranks, rule);
        return ranks.stream().mapToLong(Long::longValue).toArray();
    }

    private void rank(List<int[]> histories, List<Integer> answers, List<Long> into, HistoryRule rule) {
        if (histories.isEmpty()) {
            return;
        }
        for (long r : ranks(histories, answers.stream().mapToInt(Integer::intValue).toArray(), rule)) {
            into.add(r);
        }
        histories.clear();
        answers.clear();
    }

    @Override
    public void close() {
        network.close();
    }
}
