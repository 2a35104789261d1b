package io.quasid.spi;

import ai.djl.ndarray.NDArray;

/**
 * A training loss that a tokenizer adds to its own. Implementations are stateless NDArray code that runs
 * on whatever device the batch lives on.
 */
public interface SidLoss {
    /** Unique name, e.g. {@code quasid.hamr}; prefixes its diagnostics in logs. */
    String name();

    /** True if the loss needs (trigger, target) pair batches, so a pair source must be bound. */
    default boolean requiresPairs() {
        return false;
    }

    /**
     * The loss to train with on {@code items} (the catalogue, one row per item, the rows of
     * {@link TrainingBatch#inputs()}) into codebooks of {@code shape}, with the run's {@code seed}; called
     * once before the first step. A loss that needs statistics of the whole catalogue computes them here
     * and returns a copy that holds them; by default the loss itself.
     */
    default SidLoss prepare(Embeddings items, CodebookShape shape, long seed) {
        return this;
    }

    /**
     * The loss on {@code batch}. {@code validPairs} are the row pairs that may be repelled: the conjunction of
     * every bound {@link PairMask}, never a row with itself.
     */
    LossTerm compute(TrainingBatch batch, ValidPairs validPairs);
}
