package io.quasid.rqvae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.quasid.spi.Embeddings;
import io.quasid.spi.Scalars;
import io.quasid.spi.Sid;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** Nearest-codeword search and residual quantization over {@code L} codebooks of shape {@code (K, D)}. */
final class Codebooks {
    private Codebooks() {}

    /** For each row of {@code r} {@code (N, D)}, the index of the nearest row of {@code c} {@code (K, D)} (Euclidean), int64. */
    static NDArray nearest(NDArray r, NDArray c) {
        // ||r - c||^2 = ||r||^2 - 2 r.c + ||c||^2; the first term is the same for every code
        NDArray scores = Scalars.mul(r.matMul(c.transpose()), -2).add(c.square().sum(new int[] {1}));
        return scores.argMin(1);
    }

    /** The rows of {@code c} picked by {@code codes} (int64), differentiable with respect to {@code c}. */
    static NDArray gather(NDArray c, NDArray codes) {
        return c.get(new NDIndex("{}", codes));
    }

    /** Rows assigned per batch, bounding memory for any catalogue size. */
    static final int ASSIGN_ROWS = 16_384;

    /**
     * The SIDs of every row of {@code embeddings}: {@code encode} (identity for RQ-KMeans) then residual
     * quantization over {@code codebooks} (asked for in each batch's scope, so computed codewords are freed with
     * it), in batches of {@value #ASSIGN_ROWS} rows on {@code manager}'s device, without gradient.
     */
    static Sid[] assign(NDManager manager, Embeddings embeddings, UnaryOperator<NDArray> encode, Supplier<NDArray[]> codebooks) {
        Sid[] out = new Sid[embeddings.rows()];
        try (NDManager batch = manager.newSubManager()) {
            for (int from = 0; from < embeddings.rows(); from += ASSIGN_ROWS) {
                int to = Math.min(embeddings.rows(), from + ASSIGN_ROWS);
                try (NDScope scope = new NDScope()) {
                    NDArray x = batch.create(embeddings.rows(from, to), new Shape(to - from, embeddings.dimension()));
                    NDArray[] c = codebooks.get();
                    int levels = c.length;
                    int[] codes = assign(encode.apply(x), c).toIntArray();
                    for (int i = from; i < to; i++) {
                        out[i] = Sid.of(Arrays.copyOfRange(codes, (i - from) * levels, (i - from + 1) * levels));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Residual quantization without gradient: level by level, the nearest codeword of the residual,
     * subtracted before the next level. Returns the codes {@code (N, L)} as int32.
     */
    static NDArray assign(NDArray z, NDArray[] codebooks) {
        NDArray codes;
        try (NDScope scope = new NDScope()) {
            NDArray residual = z;
            NDList levels = new NDList(codebooks.length);
            for (NDArray c : codebooks) {
                NDArray k = nearest(residual, c);
                levels.add(k);
                residual = residual.sub(gather(c, k));
            }
            codes = NDArrays.stack(levels, 1).toType(DataType.INT32, false);
            NDScope.unregister(codes);
        }
        return codes;
    }
}
