package io.quasid.plugins.adasid;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.quasid.spi.LossTerm;
import io.quasid.spi.PairLosses;
import io.quasid.spi.SidLoss;
import io.quasid.spi.TrainingBatch;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdaSID's collision term (METHOD.md §4), {@code w_col(p) * L_col}. With overlap depth
 * {@code o_ij = L - H_ij}, the candidates are the valid pairs ({@code M_ij = 1}) with {@code o_ij > 0};
 * SeAR leaves out a candidate whose content embeddings are alike, {@code cos(x_i, x_j) >= eta[o_ij]};
 * LAS weights each kept pair by the load {@code c_ij} of its signature (which levels are equal), the
 * number of candidate pairs in the batch with that signature:
 * {@code a_ij = f_min + (f_max - f_min) (min(c_ij, d_max) / d_max)^alpha}, {@code d_max} the
 * {@code load_quantile} of the candidates' loads; and
 * {@code L_col = mean over kept pairs of a_ij max(0, m_ij - D_ij)}, {@code m_ij = m_full} if
 * {@code o_ij = L} else {@code m_partial}, {@code D_ij = 1 - cos(z_i, z_j)} of the encoder outputs.
 *
 * <p>Diagnostics per batch: {@code candidate_pairs} and {@code kept_pairs} (unordered),
 * {@code relaxed_share}, {@code mean_load}, {@code d_max}, {@code mean_weight}, {@code w_col}, {@code w_cf}.
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

    @Override
    public LossTerm compute(TrainingBatch batch, NDArray validPairs) {
        int levels = batch.shape().levels();
        NDArray codes = batch.codes();
        NDArray equal = codes.expandDims(1).eq(codes.expandDims(0)).toType(DataType.FLOAT32, false); // (N, N, L)
        NDArray overlap = equal.sum(new int[] {2});
        NDArray candidate = overlap.gt(0f).logicalAnd(validPairs).toType(DataType.FLOAT32, false);
        NDArray kept = candidate;
        float candidates = candidate.sum().getFloat();
        Map<String, Double> diagnostics = new LinkedHashMap<>();
        diagnostics.put("candidate_pairs", candidates / 2.0);
        if (config.relaxation()) {
            NDArray x = PairLosses.normalise(batch.inputs());
            NDArray similarity = x.matMul(x.transpose());
            NDArray threshold = overlap.zerosLike();
            for (int o = 1; o <= levels; o++) {
                threshold = threshold.add(overlap.eq((float) o).toType(DataType.FLOAT32, false).mul((float) config.eta(o, levels)));
            }
            NDArray relaxed = similarity.gte(threshold).toType(DataType.FLOAT32, false).mul(candidate);
            kept = candidate.sub(relaxed);
            diagnostics.put("relaxed_share", candidates == 0 ? 0.0 : relaxed.sum().getFloat() / candidates);
        }
        NDArray weight = loadWeight(equal, candidate, levels, diagnostics);
        NDArray margin = overlap.eq((float) levels).toType(DataType.FLOAT32, false).mul((float) (config.mFull() - config.mPartial()))
                .add((float) config.mPartial());
        NDArray e = PairLosses.normalise(batch.z());
        NDArray distance = e.matMul(e.transpose()).neg().add(1f);
        NDArray keptCount = kept.sum();
        diagnostics.put("kept_pairs", keptCount.getFloat() / 2.0);
        diagnostics.put("mean_weight", keptCount.getFloat() == 0 ? 0.0 : (double) weight.mul(kept).sum().getFloat() / keptCount.getFloat());
        NDArray collision = margin.sub(distance).maximum(0f).mul(weight).mul(kept).sum().div(keptCount.maximum(1f));
        double wCol = config.collisionWeight(batch.progress());
        diagnostics.put("w_col", wCol);
        diagnostics.put("w_cf", config.contrastiveWeight(batch.progress()));
        return new LossTerm(collision.mul((float) wCol), diagnostics);
    }

    /** LAS weights {@code a_ij} over all pairs (1 everywhere without load weighting); records the loads. */
    private NDArray loadWeight(NDArray equal, NDArray candidate, int levels, Map<String, Double> diagnostics) {
        float[] powers = new float[levels];
        for (int l = 0; l < levels; l++) {
            powers[l] = 1 << l;
        }
        NDArray signature = equal.mul(equal.getManager().create(powers)).sum(new int[] {2}); // (N, N): one bit per equal level
        int signatures = 1 << levels;
        long[] count = new long[signatures];
        NDArray load = candidate.zerosLike();
        for (int s = 1; s < signatures; s++) {
            NDArray members = signature.eq((float) s).toType(DataType.FLOAT32, false).mul(candidate);
            count[s] = (long) members.sum().getFloat();
            if (count[s] > 0) {
                load = load.add(members.mul(count[s] / 2f)); // unordered pairs with this signature
            }
        }
        double dMax = quantile(count, config.loadQuantile());
        long pairs = Arrays.stream(count).sum();
        double meanLoad = 0;
        for (long c : count) {
            meanLoad += (double) c * (c / 2.0);
        }
        diagnostics.put("mean_load", pairs == 0 ? 0.0 : meanLoad / pairs);
        diagnostics.put("d_max", dMax);
        if (!config.loadWeighting() || dMax == 0) {
            return candidate.onesLike();
        }
        NDArray share = load.minimum((float) dMax).div((float) dMax);
        return share.pow((float) config.alpha()).mul((float) (config.fMax() - config.fMin())).add((float) config.fMin());
    }

    /**
     * The {@code q} quantile (nearest rank) of the candidates' loads, where {@code count[s]} ordered
     * candidate pairs have signature {@code s} and so load {@code count[s] / 2}.
     */
    static double quantile(long[] count, double q) {
        long total = Arrays.stream(count).sum();
        if (total == 0) {
            return 0;
        }
        long[] loads = Arrays.stream(count).filter(c -> c > 0).sorted().toArray();
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (long c : loads) {
            seen += c;
            if (seen >= rank) {
                return c / 2.0;
            }
        }
        return loads[loads.length - 1] / 2.0;
    }
}
