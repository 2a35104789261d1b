package io.quasid.plugins.quasid;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.quasid.spi.LossTerm;
import io.quasid.spi.PairLosses;
import io.quasid.spi.Scalars;
import io.quasid.spi.SidCodes;
import io.quasid.spi.SidLoss;
import io.quasid.spi.TrainingBatch;
import io.quasid.spi.ValidPairs;
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
    public LossTerm compute(TrainingBatch batch, ValidPairs validPairs) {
        int n = batch.layout().rows();
        return compute(batch, validPairs, (long) n * n / 8);
    }

    /** The loss, on the near pairs alone unless the batch has more than {@code sparseLimit} candidate pairs. */
    LossTerm compute(TrainingBatch batch, ValidPairs validPairs, long sparseLimit) {
        // usually only a few pairs are within Hamming distance R: find them on the host and work on those rows alone
        NearPairs near = NearPairs.of(SidCodes.of(batch.codes().toIntArray(), batch.shape().levels()), config.radius(),
                validPairs::at, sparseLimit);
        Map<String, Double> diagnostics = new LinkedHashMap<>();
        NDArray value = near == null ? dense(batch, validPairs.matrix(), diagnostics) : sparse(batch, near, diagnostics);
        return new LossTerm(config.repulsion() ? value : Scalars.mul(value, 0), diagnostics);
    }

    /** The loss over the near pairs only: {@code D} and the tiers are vectors over them. */
    private NDArray sparse(TrainingBatch batch, NearPairs near, Map<String, Double> diagnostics) {
        NDManager m = batch.z().getManager();
        if (near.size == 0) {
            diagnostics.put("full_pairs", 0.0);
            diagnostics.put("partial_pairs", 0.0);
            return Scalars.mul(batch.z().sum(), 0);
        }
        float[] full = new float[near.size];
        float[] partial = new float[near.size];
        for (int p = 0; p < near.size; p++) {
            full[p] = near.hamming[p] == 0 ? 1 : 0;
            partial[p] = near.hamming[p] > 0 ? 1 : 0;
        }
        NDArray d = PairLosses.distances(batch.e(), near.first, near.second);
        return terms(m.create(full), m.create(partial), d, diagnostics);
    }

    /** The loss over all {@code N x N} pairs, for batches where most rows collide. */
    private NDArray dense(TrainingBatch batch, NDArray validPairs, Map<String, Double> diagnostics) {
        NDArray codes = batch.codes();
        NDArray h = codes.expandDims(1).neq(codes.expandDims(0)).toType(DataType.FLOAT32, false).sum(new int[] {2});
        NDArray e = batch.e();
        NDArray d = e.matMul(e.transpose()).neg().add(1f);
        NDArray full = h.eq(Scalars.of(h, 0)).logicalAnd(validPairs).toType(DataType.FLOAT32, false);
        NDArray partial = h.gt(Scalars.of(h, 0)).logicalAnd(h.lte(Scalars.of(h, config.radius()))).logicalAnd(validPairs).toType(DataType.FLOAT32, false);
        return terms(full, partial, d, diagnostics);
    }

    private NDArray terms(NDArray full, NDArray partial, NDArray d, Map<String, Double> diagnostics) {
        NDArray fullTerm = Scalars.mul(tier("full", full, d, config.mFull(), diagnostics), config.lambdaFull());
        NDArray partialTerm = Scalars.mul(tier("partial", partial, d, config.mPartial(), diagnostics), config.lambdaPartial());
        return fullTerm.add(partialTerm);
    }

    /**
     * {@code mean over the tier of max(0, margin - D)}, 0 for an empty tier; records the tier's size (as
     * unordered pairs) and mean distance. {@code members} marks the near pairs in the tier.
     */
    private static NDArray tier(String name, NDArray members, NDArray d, double margin, Map<String, Double> diagnostics) {
        NDArray count = members.sum();
        float pairs = count.getFloat();
        diagnostics.put(name + "_pairs", pairs / 2.0);
        if (pairs > 0) {
            diagnostics.put(name + "_distance", (double) d.mul(members).sum().getFloat() / pairs);
        }
        NDArray hinge = Scalars.maximum(d.neg().add((float) margin), 0);
        return hinge.mul(members).sum().div(Scalars.maximum(count, 1));
    }
}
