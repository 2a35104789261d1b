package io.quasid.spi;

import java.nio.FloatBuffer;
import java.util.Arrays;

/** An immutable row-major matrix of finite float vectors, one row per item. */
public final class Embeddings {
    private final float[] data;
    private final int rows;
    private final int dimension;

    private Embeddings(float[] data, int rows, int dimension) {
        if (rows < 1) {
            throw new IllegalArgumentException("embeddings need at least one row, got " + rows);
        }
        if (dimension < 1) {
            throw new IllegalArgumentException("embeddings need a dimension of at least 1, got " + dimension);
        }
        if ((long) rows * dimension != data.length) {
            throw new IllegalArgumentException("embeddings of " + rows + " x " + dimension + " need " + (long) rows * dimension
                    + " values, got " + data.length);
        }
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new IllegalArgumentException("embedding row " + i / dimension + ", column " + i % dimension
                        + " is " + data[i] + ": every value must be finite");
            }
        }
        this.data = data;
        this.rows = rows;
        this.dimension = dimension;
    }

    /** A matrix of {@code rows x dimension} values copied from {@code data} (row-major); fails on NaN or infinity. */
    public static Embeddings of(float[] data, int rows, int dimension) {
        return new Embeddings(data.clone(), rows, dimension);
    }

    /** A matrix from equally long rows; fails on ragged rows, NaN or infinity. */
    public static Embeddings of(float[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("embeddings need at least one row, got 0");
        }
        int d = rows[0].length;
        float[] data = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != d) {
                throw new IllegalArgumentException("embedding row " + i + " has " + rows[i].length + " values, row 0 has " + d);
            }
            System.arraycopy(rows[i], 0, data, i * d, d);
        }
        return new Embeddings(data, rows.length, d);
    }

    public int rows() {
        return rows;
    }

    public int dimension() {
        return dimension;
    }

    public float get(int row, int column) {
        return data[row * dimension + column];
    }

    /** A copy of row {@code row}. */
    public float[] row(int row) {
        return Arrays.copyOfRange(data, row * dimension, (row + 1) * dimension);
    }

    /** A copy of rows {@code from} (inclusive) to {@code to} (exclusive), row-major. */
    public float[] rows(int from, int to) {
        return Arrays.copyOfRange(data, from * dimension, to * dimension);
    }

    /** A copy of the given rows, in the given order, row-major. */
    public float[] gather(int[] rowIndices) {
        float[] out = new float[rowIndices.length * dimension];
        for (int k = 0; k < rowIndices.length; k++) {
            System.arraycopy(data, rowIndices[k] * dimension, out, k * dimension, dimension);
        }
        return out;
    }

    /**
     * Writes the given rows, in the given order, row-major into {@code into} from its position on (which
     * advances past them): {@link #gather(int[])} without allocating, for a buffer reused from batch to batch.
     */
    public void gather(int[] rowIndices, FloatBuffer into) {
        for (int row : rowIndices) {
            into.put(data, row * dimension, dimension);
        }
    }

    /** Fails unless the dimension is {@code expected}, naming both. */
    public Embeddings requireDimension(int expected, String what) {
        if (dimension != expected) {
            throw new IllegalArgumentException(what + " expects embeddings of dimension " + expected + ", got " + dimension);
        }
        return this;
    }
}
