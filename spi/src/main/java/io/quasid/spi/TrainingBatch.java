package io.quasid.spi;

import ai.djl.ndarray.NDArray;

/**
 * What a loss or pair mask sees of one training step. Arrays live on the training device and belong
 * to the step: do not keep them past the call.
 */
public interface TrainingBatch {
    /** Encoder outputs {@code z}, shape {@code (N, d)}, before quantization; gradients flow through it. */
    NDArray z();

    /**
     * The encoder outputs normalised row by row, {@code e_i = z_i / ||z_i||} ({@link PairLosses#normalise}),
     * with gradients to {@code z}. A batch may compute it once for every loss of the step, as RQ-VAE's does.
     */
    default NDArray e() {
        return PairLosses.normalise(z());
    }

    /**
     * The tokenizer's inputs for the rows (the items' content embeddings), shape {@code (N, D)}, no
     * gradient: what a loss compares when it asks whether two items are semantically alike.
     */
    NDArray inputs();

    /** The SIDs chosen for the rows, shape {@code (N, L)}, int32, no gradient. */
    NDArray codes();

    /** The catalogue index of the item in each row; equal indices mean the same item. */
    int[] items();

    /** How rows are laid out: plain items or (trigger, target) pairs. */
    PairLayout layout();

    /** Where training stands. */
    TrainingProgress progress();

    /** The shape of the codebook that produced {@link #codes()}. */
    CodebookShape shape();
}
