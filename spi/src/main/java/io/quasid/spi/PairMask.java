package io.quasid.spi;

import ai.djl.ndarray.NDArray;

/** Decides which row pairs of a batch a loss may repel; the host combines every bound mask with AND. */
public interface PairMask {
    /** Unique name, e.g. {@code quasid.cvpm}. */
    String name();

    /** An {@code (N, N)} boolean matrix, true where the pair may be repelled; computed without gradient. */
    NDArray compute(TrainingBatch batch);

    /**
     * Whether each pair {@code (first[p], second[p])} may be repelled: {@link #compute}'s entries at those pairs.
     * A mask that can decide a pair from the batch's items and layout overrides this, so that a loss that needs
     * a few pairs does not make the whole matrix.
     */
    default boolean[] at(TrainingBatch batch, int[] first, int[] second) {
        return PairLosses.validAt(compute(batch), first, second);
    }
}
