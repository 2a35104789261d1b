package io.quasid.rqvae;

import ai.djl.ndarray.NDArray;
import io.quasid.spi.CodebookShape;
import io.quasid.spi.PairLayout;
import io.quasid.spi.TrainingBatch;
import io.quasid.spi.TrainingProgress;

/** The SPI's view of one training step; {@code e} is computed once for all its losses. */
record StepBatch(NDArray z, NDArray e, NDArray inputs, NDArray codes, int[] items, PairLayout layout, TrainingProgress progress, CodebookShape shape)
        implements TrainingBatch {
    @Override
    public int[] items() {
        return items.clone();
    }
}
