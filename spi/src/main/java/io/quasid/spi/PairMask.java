package io.quasid.spi;

import ai.djl.ndarray.NDArray;

/** Decides which row pairs of a batch a loss may repel; the host combines every bound mask with AND. */
public interface PairMask {
    /** Unique name, e.g. {@code quasid.cvpm}. */
    String name();

    /** An {@code (N, N)} boolean matrix, true where the pair may be repelled; computed without gradient. */
    NDArray compute(TrainingBatch batch);
}
