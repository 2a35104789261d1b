package io.quasid.plugins.adasid;

import ai.djl.ndarray.NDArray;
import io.quasid.spi.PairLosses;
import io.quasid.spi.PairMask;
import io.quasid.spi.TrainingBatch;

/** AdaSID keeps QuaSID's conflict-aware valid-pair mask (METHOD.md §3.1): protocol-made overlaps are never repelled. */
public final class AdaSidMask implements PairMask {
    public static final String NAME = "adasid.cvpm";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NDArray compute(TrainingBatch batch) {
        return PairLosses.conflictAwareValidPairs(batch);
    }
}
