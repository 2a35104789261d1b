package io.quasid.plugins.quasid;

import ai.djl.ndarray.NDArray;
import io.quasid.spi.PairLosses;
import io.quasid.spi.PairMask;
import io.quasid.spi.TrainingBatch;
import jakarta.inject.Inject;

/**
 * Conflict-Aware Valid Pair Masking (METHOD.md §3.1): a pair may be repelled unless it is a row with
 * itself, two rows of the same item, or a constructed (trigger, target) pair (rows {@code i} and
 * {@code i + B}). Those overlaps are made by the training protocol and are benign. With
 * {@code mask = false} (the ablation) only the diagonal is excluded.
 */
public final class Cvpm implements PairMask {
    public static final String NAME = "quasid.cvpm";

    private final QuaSidConfig config;

    @Inject
    public Cvpm(QuaSidConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NDArray compute(TrainingBatch batch) {
        return config.mask() ? PairLosses.conflictAwareValidPairs(batch) : PairLosses.offDiagonal(batch);
    }
}
