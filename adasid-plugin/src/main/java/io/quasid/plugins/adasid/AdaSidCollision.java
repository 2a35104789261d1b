package io.quasid.plugins.adasid;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.quasid.spi.LossTerm;
import io.quasid.spi.PairLosses;
import io.quasid.spi.Scalars;
import io.quasid.spi.SidLoss;
import io.quasid.spi.TrainingBatch;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdaSID's collision term (METHOD.md §4), {@code w_col(p) * L_col}. With overlap depth
 * {@code o_ij = L - H_ij}, the candidates are the valid pairs ({@code M_ij = 1}) with {@code o_ij > 0};
 * SeAR leaves out a candidate whose items are alike, {@code cos(v_i, v_j) >= eta[o_ij]}, with {@code v} the
 * content embeddings {@code x}, the content embeddings less the batch's mean, or the encoder outputs, as
 * {@link AdaSidConfig#similarity()} says;
 * LAS weights each kept pair by the load {@code c_ij} of its signature (which levels are equal), the
 * number of candidate pairs in the batch with that signature:
 * {@code a_ij = f_min + (f_max - f_min) (min(c_ij, d_max) / d_max)^alpha}, {@code d_max} the
 * {@code load_quantile} of the candidates' loads; and
 * {@code L_col = mean over kept pairs of a_ij max(0, m_ij - D_ij)}, {@code m_ij = m_full} if
 * {@code o_ij = L} else {@code m_partial}, {@code D_ij = 1 - cos(z_i, z_j)} of the encoder outputs.
 *
 * <p>Candidates share a code at some level, so they are usually found on the host by bucketing rows
 * per level and code, and the loss works on those pairs alone; when most rows share codes (early in
 * training) it works on all {@code N x N} pairs instead. The two forms give the same value.
 *
 * <p>Diagnostics per batch: {@code candidate_pairs}, {@code kept_pairs}, {@code relaxed_share},
 * {@code mean_load}, {@code d_max}, {@code mean_weight}, {@code w_col}, {@code w_cf}.
 */
public final class AdaSidCollision implements SidLoss {
    public static final String NAME = "adasid.collision";

    private final AdaSidConfig config;

    @Inject
    public AdaSidCollision(AdaSidConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The candidate pairs of a batch: rows, overlap depth and signature of each. */
    private record Candidates(int[] first, int[] second, int[] overlap, int[] signature) {
        int size() {
            return first.length;
        }
    }

    static Candidates candidates(int[] codes, int n, int levels, boolean[] valid) {
        boolean[] seen = new boolean[n * n];
        List<int[]> pairs = new ArrayList<>();
        for (int l = 0; l < levels; l++) {
            Map<Integer, List<Integer>> buckets = new java.util.HashMap<>();
            for (int i = 0; i < n; i++) {
                buckets.computeIfAbsent(codes[i * levels + l], k -> new ArrayList<>()).add(i);
            }
            for (List<Integer> rows : buckets.values()) {
                for (int a = 0; a < rows.size(); a++) {
                    for (int b = a + 1; b < rows.size(); b++) {
                        int i = Math.min(rows.get(a), rows.get(b));
                        int j = Math.max(rows.get(a), rows.get(b));
                        if (!seen[i * n + j] && valid[i * n + j]) {
                            seen[i * n + j] = true;
                            pairs.add(new int[] {i, j});
                        }
                    }
                }
            }
        }
        int size = pairs.size();
        int[] first = new int[size];
        int[] second = new int[size];
        int[] overlap = new int[size];
        int[] signature = new int[size];
        for (int p = 0; p < size; p++) {
            int i = pairs.get(p)[0];
            int j = pairs.get(p)[1];
            first[p] = i;
            second[p] = j;
            for (int l = 0; l < levels; l++) {
                if (codes[i * levels + l] == codes[j * levels + l]) {
                    overlap[p]++;
                    signature[p] |= 1 << l;
                }
            }
        }
        return new Candidates(first, second, overlap, signature);
    }

    /** At most how many pairs share a code at some level: the sum over levels and codes of {@code size choose 2}. */
    static long sharingBound(int[] codes, int n, int levels) {
        long bound = 0;
        for (int l = 0; l < levels; l++) {
            Map<Integer, Integer> sizes = new java.util.HashMap<>();
            for (int i = 0; i < n; i++) {
                sizes.merge(codes[i * levels + l], 1, Integer::sum);
            }
            for (int size : sizes.values()) {
                bound += (long) size * (size - 1) / 2;
            }
        }
        return bound;
    }

    @Override
    public LossTerm compute(TrainingBatch batch, NDArray validPairs) {
        int n = batch.layout().rows();
        return compute(batch, validPairs, (long) n * n / 8);
    }

    /** The term, over all pairs when more than {@code denseAbove} pairs may share a code. */
    LossTerm compute(TrainingBatch batch, NDArray validPairs, long denseAbove) {
        int levels = batch.shape().levels();
        int n = batch.layout().rows();
        int[] codes = batch.codes().toIntArray();
        Map<String, Double> diagnostics = new LinkedHashMap<>();
        double wCol = config.collisionWeight(batch.progress());
        // early in training most rows share codes: then the N x N form is cheaper than a list of pairs
        NDArray value = sharingBound(codes, n, levels) > denseAbove ? dense(batch, validPairs, diagnostics)
                : sparse(batch, candidates(codes, n, levels, validPairs.toBooleanArray()), diagnostics);
        diagnostics.put("w_col", wCol);
        diagnostics.put("w_cf", config.contrastiveWeight(batch.progress()));
        return new LossTerm(Scalars.mul(value, wCol), diagnostics);
    }

    private NDArray sparse(TrainingBatch batch, Candidates c, Map<String, Double> diagnostics) {
        int levels = batch.shape().levels();
        diagnostics.put("candidate_pairs", (double) c.size());
        long[] count = new long[1 << levels];
        for (int sig : c.signature()) {
            count[sig]++;
        }
        double dMax = loads(count, diagnostics);
        float[] weight = new float[c.size()];
        for (int p = 0; p < weight.length; p++) {
            weight[p] = (float) weight(count[c.signature()[p]], dMax);
        }
        NDArray value;
        if (c.size() == 0) {
            diagnostics.put("relaxed_share", 0.0);
            diagnostics.put("kept_pairs", 0.0);
            diagnostics.put("mean_weight", 0.0);
            value = Scalars.mul(batch.z().sum(), 0);
        } else {
            NDManager m = batch.z().getManager();
            NDIndex first = new NDIndex("{}", m.create(c.first()));
            NDIndex second = new NDIndex("{}", m.create(c.second()));
            float[] eta = new float[c.size()];
            float[] margin = new float[c.size()];
            for (int p = 0; p < c.size(); p++) {
                eta[p] = (float) config.eta(c.overlap()[p], levels);
                margin[p] = (float) (c.overlap()[p] == levels ? config.mFull() : config.mPartial());
            }
            float[] keep = new float[c.size()];
            Arrays.fill(keep, 1f);
            if (config.relaxation()) {
                // a few thousand dot products: cheaper on the host than gathering rows on the device
                NDArray unit = semanticVectors(batch);
                int d = (int) unit.getShape().get(1);
                float[] v = unit.toFloatArray();
                for (int p = 0; p < keep.length; p++) {
                    int i = c.first()[p] * d;
                    int j = c.second()[p] * d;
                    double dot = 0;
                    for (int k = 0; k < d; k++) {
                        dot += v[i + k] * v[j + k];
                    }
                    keep[p] = dot >= eta[p] ? 0f : 1f;
                }
            }
            NDArray kept = m.create(keep);
            float keptPairs = kept.sum().getFloat();
            diagnostics.put("relaxed_share", 1 - keptPairs / (double) c.size());
            diagnostics.put("kept_pairs", (double) keptPairs);
            NDArray a = m.create(weight);
            diagnostics.put("mean_weight", keptPairs == 0 ? 0.0 : (double) a.mul(kept).sum().getFloat() / keptPairs);
            NDArray e = PairLosses.normalise(batch.z());
            NDArray distance = e.get(first).mul(e.get(second)).sum(new int[] {1}).neg().add(1f);
            value = Scalars.div(Scalars.maximum(m.create(margin).sub(distance), 0).mul(a).mul(kept).sum(), Math.max(1f, keptPairs));
        }
        return value;
    }

    /**
     * The unit vectors whose cosines SeAR compares with {@code eta}, without gradient: the content
     * embeddings ({@code content}), the same less their mean over the batch ({@code centred}: the cosine
     * of two unrelated items is then near 0 even when the embedding model puts every item in one narrow
     * cone), or the encoder outputs {@code e} ({@code encoder}).
     */
    private NDArray semanticVectors(TrainingBatch batch) {
        NDArray v = switch (config.similarity()) {
            case AdaSidConfig.CONTENT -> batch.inputs();
            case AdaSidConfig.CENTRED -> batch.inputs().sub(batch.inputs().mean(new int[] {0}, true));
            case AdaSidConfig.ENCODER -> batch.z().stopGradient();
            default -> throw new IllegalStateException("similarity " + config.similarity());
        };
        return PairLosses.normalise(v);
    }

    /** The same loss over all {@code N x N} pairs (each unordered pair counted twice, which leaves the means alone). */
    private NDArray dense(TrainingBatch batch, NDArray validPairs, Map<String, Double> diagnostics) {
        int levels = batch.shape().levels();
        NDArray codes = batch.codes();
        NDArray equal = codes.expandDims(1).eq(codes.expandDims(0)).toType(DataType.FLOAT32, false); // (N, N, L)
        NDArray overlap = equal.sum(new int[] {2});
        NDArray candidate = overlap.gt(0f).logicalAnd(validPairs).toType(DataType.FLOAT32, false);
        float candidates = candidate.sum().getFloat();
        diagnostics.put("candidate_pairs", candidates / 2.0);
        NDArray kept = candidate;
        if (config.relaxation()) {
            NDArray x = semanticVectors(batch);
            NDArray threshold = overlap.zerosLike();
            for (int o = 1; o <= levels; o++) {
                threshold = threshold.add(overlap.eq((float) o).toType(DataType.FLOAT32, false).mul((float) config.eta(o, levels)));
            }
            kept = x.matMul(x.transpose()).lt(threshold).toType(DataType.FLOAT32, false).mul(candidate);
        }
        float keptPairs = kept.sum().getFloat();
        diagnostics.put("relaxed_share", candidates == 0 ? 0.0 : 1 - keptPairs / candidates);
        diagnostics.put("kept_pairs", keptPairs / 2.0);
        float[] powers = new float[levels];
        for (int l = 0; l < levels; l++) {
            powers[l] = 1 << l;
        }
        NDArray signature = equal.mul(equal.getManager().create(powers)).sum(new int[] {2}).mul(candidate); // 0: not a candidate
        NDArray[] sums = new NDArray[1 << levels];
        for (int sig = 0; sig < sums.length; sig++) {
            sums[sig] = signature.eq((float) sig).toType(DataType.FLOAT32, false).sum().expandDims(0);
        }
        float[] perSignature = NDArrays.concat(new ai.djl.ndarray.NDList(sums)).toFloatArray();
        long[] count = new long[1 << levels];
        for (int sig = 1; sig < count.length; sig++) {
            count[sig] = Math.round(perSignature[sig] / 2); // unordered pairs
        }
        double dMax = loads(count, diagnostics);
        float[] bySignature = new float[1 << levels];
        for (int sig = 1; sig < count.length; sig++) {
            bySignature[sig] = (float) weight(count[sig], dMax);
        }
        NDArray a = signature.toType(DataType.INT64, false).flatten();
        a = equal.getManager().create(bySignature).get(new NDIndex("{}", a)).reshape(candidate.getShape());
        diagnostics.put("mean_weight", keptPairs == 0 ? 0.0 : (double) a.mul(kept).sum().getFloat() / keptPairs);
        NDArray margin = overlap.eq((float) levels).toType(DataType.FLOAT32, false).mul((float) (config.mFull() - config.mPartial()))
                .add((float) config.mPartial());
        NDArray e = PairLosses.normalise(batch.z());
        NDArray distance = e.matMul(e.transpose()).neg().add(1f);
        return margin.sub(distance).maximum(0f).mul(a).mul(kept).sum().div(Math.max(1f, keptPairs));
    }

    /** Records the mean load over candidates and {@code d_max}; returns {@code d_max}. {@code count[s]}: candidates with signature {@code s}. */
    private double loads(long[] count, Map<String, Double> diagnostics) {
        long total = Arrays.stream(count).sum();
        double meanLoad = 0;
        for (long k : count) {
            meanLoad += (double) k * k;
        }
        double dMax = quantile(count, config.loadQuantile());
        diagnostics.put("mean_load", total == 0 ? 0.0 : meanLoad / total);
        diagnostics.put("d_max", dMax);
        return dMax;
    }

    /** The LAS weight of a pair whose signature has load {@code c} (1 without load weighting). */
    private double weight(long c, double dMax) {
        return !config.loadWeighting() || dMax == 0 ? 1 : config.fMin() + (config.fMax() - config.fMin()) * Math.pow(Math.min(c, dMax) / dMax, config.alpha());
    }

    /** The {@code q} quantile (nearest rank) of the candidates' loads, where {@code count[s]} candidates have signature {@code s} (load {@code count[s]}). */
    static double quantile(long[] count, double q) {
        long total = Arrays.stream(count).sum();
        if (total == 0) {
            return 0;
        }
        long[] loads = Arrays.stream(count).filter(k -> k > 0).sorted().toArray();
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (long k : loads) {
            seen += k;
            if (seen >= rank) {
                return k;
            }
        }
        return loads[loads.length - 1];
    }
}
