package io.quasid.plugins.adasid;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.quasid.spi.CodebookShape;
import io.quasid.spi.Embeddings;
import io.quasid.spi.LossTerm;
import io.quasid.spi.PairLosses;
import io.quasid.spi.Scalars;
import io.quasid.spi.SidCodes;
import io.quasid.spi.SidLoss;
import io.quasid.spi.TrainingBatch;
import io.quasid.spi.ValidPairs;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * AdaSID's collision term (METHOD.md §4), {@code w_col(p) * L_col}. With overlap depth
 * {@code o_ij = L - H_ij}, the candidates are the valid pairs ({@code M_ij = 1}) with {@code o_ij > 0}.
 * SeAR leaves out a candidate whose items are alike: the cosine of their content embeddings less the
 * catalogue mean reaches {@code eta[o_ij]} (see {@link SemanticGate}). LAS weights each kept pair by its
 * load {@code c_ij}, the number of candidate pairs in the batch that share the same (level, code)
 * positions: {@code a_ij = f_min + (f_max - f_min) (min(c_ij, d_max) / d_max)^alpha}, {@code d_max} the
 * {@code load_quantile} of the kept pairs' loads. {@code L_col = mean over kept pairs of
 * a_ij max(0, m_ij - D_ij)}, {@code m_ij = m_full} if {@code o_ij = L} else {@code m_partial},
 * {@code D_ij = 1 - cos(z_i, z_j)} of the encoder outputs.
 *
 * <p>Candidates share a code at some level, so they are found on the host by bucketing rows per level
 * and code; their gates, loads, weights and margins are decided there too. On the device the term is
 * summed over the kept pairs' rows, or, when there are many kept pairs (early in training), over all
 * {@code N x N} pairs with a matrix of weights; the two give the same value.
 *
 * <p>Diagnostics per batch: {@code candidate_pairs}, {@code kept_pairs}, {@code relaxed_share} and per
 * depth {@code relaxed_share/o} (depths with candidates), the thresholds {@code eta/o}, {@code mean_load}
 * (over candidates), {@code d_max}, {@code mean_weight} and {@code weight_sd} (over kept pairs),
 * {@code w_col}, {@code w_cf}.
 */
public final class AdaSidCollision implements SidLoss {
    public static final String NAME = "adasid.collision";

    private final AdaSidConfig config;
    private final SemanticGate gate;

    @Inject
    public AdaSidCollision(AdaSidConfig config) {
        this(config, null);
    }

    private AdaSidCollision(AdaSidConfig config, SemanticGate gate) {
        this.config = config;
        this.gate = gate;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The term with SeAR's gate fixed from {@code items}: the catalogue mean and the quantile thresholds per depth. */
    @Override
    public AdaSidCollision prepare(Embeddings items, CodebookShape shape, long seed) {
        return new AdaSidCollision(config, SemanticGate.of(config, items, shape.levels(), seed));
    }

    /**
     * The candidate pairs of a batch: rows and overlap depth of each, and its load key: the shared (level,
     * code) positions (region) or which levels are shared (pattern).
     */
    record Candidates(int[] first, int[] second, int[] overlap, List<Object> keys) {
        int size() {
            return first.length;
        }
    }

    /**
     * The valid pairs whose rows share a code at some level, each once with {@code i < j}: the pairs differing in
     * at most {@code L - 1} levels. {@code valid} says which of the pairs it is given ({@code first[p], second[p]})
     * are valid.
     */
    static Candidates candidates(SidCodes codes, BiFunction<int[], int[], boolean[]> valid, boolean byRegion) {
        int levels = codes.levels();
        List<int[]> pairs = new ArrayList<>();
        List<Object> keys = new ArrayList<>();
        codes.near(levels - 1).forEach((i, j, differing) -> {
            pairs.add(new int[] {i, j, levels - Integer.bitCount(differing)});
            keys.add(byRegion ? codes.key(i, differing) : Integer.valueOf(differing));
        });
        boolean[] ok = valid.apply(column(pairs, 0), column(pairs, 1));
        List<int[]> kept = new ArrayList<>();
        List<Object> keptKeys = new ArrayList<>();
        for (int p = 0; p < ok.length; p++) {
            if (ok[p]) {
                kept.add(pairs.get(p));
                keptKeys.add(keys.get(p));
            }
        }
        return new Candidates(column(kept, 0), column(kept, 1), column(kept, 2), keptKeys);
    }

    private static int[] column(List<int[]> rows, int k) {
        return rows.stream().mapToInt(r -> r[k]).toArray();
    }

    @Override
    public LossTerm compute(TrainingBatch batch, ValidPairs validPairs) {
        int n = batch.layout().rows();
        return compute(batch, validPairs, (long) n * n / 8);
    }

    /** The term, summed over all {@code N x N} pairs when more than {@code denseAbove} pairs are kept. */
    LossTerm compute(TrainingBatch batch, ValidPairs validPairs, long denseAbove) {
        if (gate == null) {
            throw new IllegalStateException("'" + NAME + "' has no SeAR thresholds: prepare it with the catalogue before training"
                    + " (SidLoss.prepare)");
        }
        int levels = batch.shape().levels();
        Candidates c = candidates(SidCodes.of(batch.codes().toIntArray(), levels), validPairs::at,
                config.load().equals(AdaSidConfig.REGION));
        Map<String, Double> diagnostics = new LinkedHashMap<>();
        diagnostics.put("candidate_pairs", (double) c.size());
        boolean[] keep = sear(batch, c, diagnostics);
        float[] weight = las(c, keep, diagnostics);
        int kept = 0;
        for (boolean k : keep) {
            kept += k ? 1 : 0;
        }
        diagnostics.put("kept_pairs", (double) kept);
        NDArray value;
        if (kept == 0) {
            value = Scalars.mul(batch.z().sum(), 0); // keeps the graph whole
        } else {
            float[] margin = new float[c.size()];
            for (int p = 0; p < margin.length; p++) {
                margin[p] = (float) (c.overlap()[p] == levels ? config.mFull() : config.mPartial());
            }
            NDArray penalties = kept > denseAbove ? allPairs(batch, c, keep, weight, margin) : keptPairs(batch, c, keep, kept, weight, margin);
            value = Scalars.div(penalties, kept);
        }
        diagnostics.put("w_col", config.collisionWeight(batch.progress()));
        diagnostics.put("w_cf", config.contrastiveWeight(batch.progress()));
        return new LossTerm(Scalars.mul(value, config.collisionWeight(batch.progress())), diagnostics);
    }

    /** SeAR: which candidates are kept (not semantically compatible); records the relaxed shares and the thresholds. */
    private boolean[] sear(TrainingBatch batch, Candidates c, Map<String, Double> diagnostics) {
        int levels = batch.shape().levels();
        boolean[] keep = new boolean[c.size()];
        Arrays.fill(keep, true);
        int[] candidates = new int[levels + 1];
        int[] relaxed = new int[levels + 1];
        if (config.relaxation() && c.size() > 0) {
            int d = (int) batch.inputs().getShape().get(1);
            // a few thousand dot products per step: cheaper on the host than gathering rows on the device
            float[] unit = gate.unitVectors(batch.inputs().toFloatArray(), batch.layout().rows());
            for (int p = 0; p < keep.length; p++) {
                int o = c.overlap()[p];
                keep[p] = SemanticGate.cosine(unit, d, c.first()[p], c.second()[p]) < gate.eta(o);
                candidates[o]++;
                relaxed[o] += keep[p] ? 0 : 1;
            }
        }
        int total = Arrays.stream(relaxed).sum();
        diagnostics.put("relaxed_share", c.size() == 0 ? 0.0 : (double) total / c.size());
        for (int o = 1; o <= levels; o++) {
            if (candidates[o] > 0) {
                diagnostics.put("relaxed_share/" + o, (double) relaxed[o] / candidates[o]);
            }
        }
        for (int o = 1; o <= levels; o++) {
            diagnostics.put("eta/" + o, gate.eta(o));
        }
        return keep;
    }

    /** LAS: each candidate's weight {@code a_ij} from its load; records the mean load, {@code d_max} and the kept pairs' weights. */
    private float[] las(Candidates c, boolean[] keep, Map<String, Double> diagnostics) {
        Map<Object, Integer> count = new HashMap<>();
        for (Object k : c.keys()) {
            count.merge(k, 1, Integer::sum);
        }
        int[] load = new int[c.size()];
        double loadSum = 0;
        List<Integer> keptLoads = new ArrayList<>();
        for (int p = 0; p < load.length; p++) {
            load[p] = count.get(c.keys().get(p));
            loadSum += load[p];
            if (keep[p]) {
                keptLoads.add(load[p]);
            }
        }
        double dMax = quantile(keptLoads.stream().mapToInt(Integer::intValue).toArray(), config.loadQuantile());
        float[] weight = new float[c.size()];
        double sum = 0;
        double squares = 0;
        for (int p = 0; p < weight.length; p++) {
            weight[p] = (float) (!config.loadWeighting() || dMax == 0 ? 1
                    : config.fMin() + (config.fMax() - config.fMin()) * Math.pow(Math.min(load[p], dMax) / dMax, config.alpha()));
            if (keep[p]) {
                sum += weight[p];
                squares += (double) weight[p] * weight[p];
            }
        }
        int kept = keptLoads.size();
        diagnostics.put("mean_load", c.size() == 0 ? 0.0 : loadSum / c.size());
        diagnostics.put("d_max", dMax);
        diagnostics.put("mean_weight", kept == 0 ? 0.0 : sum / kept);
        diagnostics.put("weight_sd", kept == 0 ? 0.0 : Math.sqrt(Math.max(0, squares / kept - (sum / kept) * (sum / kept))));
        return weight;
    }

    /** {@code sum over the kept pairs of a max(0, m - D)}, on the rows of the {@code kept} pairs that {@code keep} marks. */
    private static NDArray keptPairs(TrainingBatch batch, Candidates c, boolean[] keep, int kept, float[] weight, float[] margin) {
        int[] first = new int[kept];
        int[] second = new int[kept];
        float[] a = new float[kept];
        float[] m = new float[kept];
        for (int p = 0, q = 0; p < keep.length; p++) {
            if (keep[p]) {
                first[q] = c.first()[p];
                second[q] = c.second()[p];
                a[q] = weight[p];
                m[q] = margin[p];
                q++;
            }
        }
        NDManager manager = batch.z().getManager();
        NDArray distance = PairLosses.distances(batch.e(), first, second);
        return Scalars.maximum(manager.create(m).sub(distance), 0).mul(manager.create(a)).sum();
    }

    /** The same sum over all {@code N x N} pairs, each kept pair weighted in both orders and halved. */
    private static NDArray allPairs(TrainingBatch batch, Candidates c, boolean[] keep, float[] weight, float[] margin) {
        int n = batch.layout().rows();
        float[] a = new float[n * n];
        float[] m = new float[n * n];
        for (int p = 0; p < keep.length; p++) {
            if (keep[p]) {
                int i = c.first()[p];
                int j = c.second()[p];
                a[i * n + j] = a[j * n + i] = weight[p];
                m[i * n + j] = m[j * n + i] = margin[p];
            }
        }
        NDManager manager = batch.z().getManager();
        NDArray e = batch.e();
        NDArray distance = e.matMul(e.transpose()).neg().add(1f);
        NDArray both = Scalars.maximum(manager.create(m, new Shape(n, n)).sub(distance), 0).mul(manager.create(a, new Shape(n, n))).sum();
        return Scalars.mul(both, 0.5);
    }

    /** The {@code q} quantile (nearest rank) of {@code loads}; 0 when there are none. */
    static double quantile(int[] loads, double q) {
        return loads.length == 0 ? 0 : SemanticGate.quantile(Arrays.stream(loads).sorted().asDoubleStream().toArray(), q);
    }
}
