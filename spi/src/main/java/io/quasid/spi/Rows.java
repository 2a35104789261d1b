package io.quasid.spi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;

/**
 * Rows of a table by index, {@code table[index]}, for tables a loss depends on: use it rather than
 * {@code table.get(new NDIndex("{}", index))} where a step reads many rows of a table that gets gradients
 * (the SASRec and TIGER item and token tables; README, "Speed of the hot paths").
 *
 * <p>Both give the same rows; their backward passes differ. An index {@code get} records PyTorch's
 * {@code index}, whose backward is {@code index_put_} with accumulation, which runs on one CPU thread.
 * This records {@code embedding}, whose backward adds the gradient rows into the table in parallel.
 */
public final class Rows {
    private Rows() {}

    /** Rows {@code index} (int64, any shape {@code S}) of {@code table} {@code (n, d)}: shape {@code S + (d)}. */
    public static NDArray of(NDArray table, NDArray index) {
        return Embedding.embedding(index, table, SparseFormat.DENSE).singletonOrThrow();
    }
}
