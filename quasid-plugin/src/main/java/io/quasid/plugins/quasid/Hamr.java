package io.quasid.plugins.quasid;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
        int n = batch.layout().rows();
        NDManager m = batch.z().getManager();
        // only the few pairs within Hamming distance R can be in a tier: find them on the host, then work on those rows alone
        NearPairs near = NearPairs.of(batch.codes().toIntArray(), n, batch.shape().levels(), config.radius(), validPairs.toBooleanArray());
        float[] full = new float[near.size];
        float[] partial = new float[near.size];
        for (int p = 0; p < near.size; p++) {
            full[p] = near.hamming[p] == 0 ? 1 : 0;
            partial[p] = near.hamming[p] > 0 ? 1 : 0;
        }
        Map<String, Double> diagnostics = new LinkedHashMap<>();
        NDArray value;
        if (near.size == 0) {
            diagnostics.put("full_pairs", 0.0);
            diagnostics.put("partial_pairs", 0.0);
            value = batch.z().sum().mul(0f);
        } else {
            NDArray e = normalise(batch.z());
            NDArray d = e.get(new NDIndex("{}", m.create(near.first))).mul(e.get(new NDIndex("{}", m.create(near.second))))
                    .sum(new int[] {1}).neg().add(1f); // D_ij of each near pair
            NDArray fullTerm = tier("full", m.create(full), d, config.mFull(), diagnostics).mul((float) config.lambdaFull());
            NDArray partialTerm = tier("partial", m.create(partial), d, config.mPartial(), diagnostics).mul((float) config.lambdaPartial());
            value = fullTerm.add(partialTerm);
        }
        return new LossTerm(config.repulsion() ? value : value.mul(0f), diagnostics);
    }

    /** {@code z / sqrt(||z||^2 + 1e-8)}: smooth at 0, so a near-zero row cannot blow up the gradient. */
    static NDArray normalise(NDArray z) {
        return z.div(z.square().sum(new int[] {1}, true).add(1e-8f).sqrt());
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
        NDArray hinge = d.neg().add((float) margin).maximum(0f);
        return hinge.mul(members).sum().div(count.maximum(1f));
    }
}
