package io.quasid.plugins.quasid;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.quasid.spi.LossTerm;
import io.quasid.spi.SidLoss;
import io.quasid.spi.TrainingBatch;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hamming-guided Margin Repulsion (METHOD.md §3.2):
 * {@code L_HaMR = lambda_full mean_F max(0, m_full - D) + lambda_partial mean_P max(0, m_partial - D)},
 * with {@code H_ij} the Hamming distance of the SIDs, {@code D_ij = 1 - e_i . e_j} the cosine distance of
 * the encoder outputs, {@code F = {H = 0, M = 1}} and {@code P = {0 < H <= R, M = 1}}. Each tier is
 * averaged on its own; an empty tier adds 0. Gradients reach the encoder through {@code D}; the codes
 * carry none, so the codebooks are untouched.
 *
 * <p>Diagnostics per batch: {@code full_pairs}, {@code partial_pairs} (unordered pairs in each tier) and,
 * for a non-empty tier, {@code full_distance} and {@code partial_distance} (its mean {@code D}).
 */
public final class Hamr implements SidLoss {
    public static final String NAME = "quasid.hamr";

    private final QuaSidConfig config;

    @Inject
    public Hamr(QuaSidConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LossTerm compute(TrainingBatch batch, NDArray validPairs) {
        NDArray codes = batch.codes();
        NDArray h = codes.expandDims(1).neq(codes.expandDims(0)).toType(DataType.FLOAT32, false).sum(new int[] {2});
        NDArray d = cosineDistance(batch.z());
        NDArray full = h.eq(0f).logicalAnd(validPairs).toType(DataType.FLOAT32, false);
        NDArray partial = h.gt(0f).logicalAnd(h.lte((float) config.radius())).logicalAnd(validPairs).toType(DataType.FLOAT32, false);
        Map<String, Double> diagnostics = new LinkedHashMap<>();
        NDArray fullTerm = tier("full", full, d, config.mFull(), diagnostics).mul((float) config.lambdaFull());
        NDArray partialTerm = tier("partial", partial, d, config.mPartial(), diagnostics).mul((float) config.lambdaPartial());
        NDArray value = fullTerm.add(partialTerm);
        return new LossTerm(config.repulsion() ? value : value.mul(0f), diagnostics);
    }

    /** {@code D_ij = 1 - e_i . e_j} with {@code e = z / ||z||}. */
    static NDArray cosineDistance(NDArray z) {
        NDArray e = normalise(z);
        return e.matMul(e.transpose()).neg().add(1f);
    }

    /** {@code z / sqrt(||z||^2 + 1e-8)}: smooth at 0, so a near-zero row cannot blow up the gradient. */
    static NDArray normalise(NDArray z) {
        return z.div(z.square().sum(new int[] {1}, true).add(1e-8f).sqrt());
    }

    /** {@code mean over the tier of max(0, margin - D)}, 0 for an empty tier; records the tier's size and mean distance. */
    private static NDArray tier(String name, NDArray members, NDArray d, double margin, Map<String, Double> diagnostics) {
        NDArray count = members.sum();
        float pairs = count.getFloat();
        diagnostics.put(name + "_pairs", pairs / 2.0);
        if (pairs > 0) {
            diagnostics.put(name + "_distance", (double) d.mul(members).sum().getFloat() / pairs);
        }
        NDArray hinge = d.neg().add((float) margin).maximum(0f);
        return hinge.mul(members).sum().div(count.maximum(1f));
    }
}
