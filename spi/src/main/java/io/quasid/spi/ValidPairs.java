package io.quasid.spi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * The row pairs of a batch that may be repelled: the conjunction of every bound {@link PairMask}, never a row
 * with itself. A loss reads it whole, as the {@code (N, N)} boolean {@link #matrix}, or at the pairs it needs
 * ({@link #at}); the matrix is built only when a loss asks for it, since a step's losses usually need a few
 * dozen of its {@code N^2} entries (README, "Speed of the hot paths").
 */
public final class ValidPairs {
    private final TrainingBatch batch;
    private final List<PairMask> masks;
    private NDArray matrix;

    private ValidPairs(TrainingBatch batch, List<PairMask> masks) {
        this.batch = batch;
        this.masks = List.copyOf(masks);
    }

    /** The pairs of {@code batch} that every one of {@code masks} allows (with no mask: every pair of two distinct rows). */
    public static ValidPairs of(TrainingBatch batch, List<PairMask> masks) {
        return new ValidPairs(batch, masks);
    }

    /**
     * The {@code (N, N)} boolean matrix, on the batch's manager, built on the first call. Fails naming the mask
     * that returned another shape or type.
     */
    public NDArray matrix() {
        if (matrix == null) {
            int n = batch.layout().rows();
            NDArray valid = PairLosses.offDiagonal(batch.z().getManager(), n);
            for (PairMask mask : masks) {
                NDArray m = mask.compute(batch);
                if (!m.getShape().equals(new Shape(n, n)) || m.getDataType() != DataType.BOOLEAN) {
                    throw new IllegalStateException("pair mask '" + mask.name() + "' returned " + m.getShape() + " "
                            + m.getDataType() + ", expected (" + n + ", " + n + ") boolean");
                }
                valid = valid.logicalAnd(m);
            }
            matrix = valid;
        }
        return matrix;
    }

    /** Whether each pair {@code (first[p], second[p])} is valid: the matrix's entries, without building it unless a mask needs to. */
    public boolean[] at(int[] first, int[] second) {
        if (first.length != second.length) {
            throw new IllegalArgumentException(first.length + " first rows but " + second.length + " second rows");
        }
        if (matrix != null) {
            return PairLosses.validAt(matrix, first, second);
        }
        boolean[] out = new boolean[first.length];
        for (int p = 0; p < out.length; p++) {
            out[p] = first[p] != second[p];
        }
        for (PairMask mask : masks) {
            boolean[] allowed = mask.at(batch, first, second);
            if (allowed.length != out.length) {
                throw new IllegalStateException("pair mask '" + mask.name() + "' answered " + allowed.length + " of "
                        + out.length + " pairs");
            }
            for (int p = 0; p < out.length; p++) {
                out[p] &= allowed[p];
            }
        }
        return out;
    }
}
