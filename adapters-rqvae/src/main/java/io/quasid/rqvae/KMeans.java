package io.quasid.rqvae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/** k-means with k-means++ seeding (Arthur and Vassilvitskii, 2007) and Lloyd iterations, in NDArray ops. */
final class KMeans {
    private KMeans() {}

    /**
     * {@code k} centers of the rows of {@code x} {@code (N, D)}, {@code N >= k}, in {@code manager}. Empty
     * clusters are re-seeded with the rows farthest from their centers.
     */
    static NDArray fit(NDArray x, int k, int iterations, Random random, NDManager manager) {
        long n = x.getShape().get(0);
        if (n < k) {
            throw new IllegalArgumentException("k-means needs at least " + k + " rows for " + k + " codes, got " + n);
        }
        NDArray centers;
        try (NDScope scope = new NDScope()) {
            NDArray c = seed(x, k, random);
            NDArray previous = null;
            for (int it = 0; it < iterations; it++) {
                NDArray assignment = Codebooks.nearest(x, c);
                if (previous != null && previous.eq(assignment).all().getBoolean()) {
                    break;
                }
                previous = assignment;
                NDArray oneHot = assignment.oneHot(k, DataType.FLOAT32); // (N, K)
                NDArray counts = oneHot.sum(new int[] {0}); // (K)
                NDArray sums = oneHot.transpose().matMul(x); // (K, D)
                c = sums.div(counts.maximum(1f).expandDims(1));
                float[] count = counts.toFloatArray();
                int empty = 0;
                for (float v : count) {
                    if (v == 0) {
                        empty++;
                    }
                }
                if (empty > 0) {
                    c = reseedEmpty(x, c, assignment, count, empty);
                }
            }
            centers = c.toDevice(manager.getDevice(), true);
            centers.attach(manager);
            NDScope.unregister(centers);
        }
        return centers;
    }

    /** k-means++: each next center drawn with probability proportional to the squared distance to the nearest chosen one. */
    private static NDArray seed(NDArray x, int k, Random random) {
        long n = x.getShape().get(0);
        int[] chosen = new int[k];
        chosen[0] = random.nextInt((int) n);
        float[] best = distanceTo(x, chosen[0]);
        for (int j = 1; j < k; j++) {
            double total = 0;
            for (float d : best) {
                total += d;
            }
            int pick;
            if (total <= 0) {
                pick = random.nextInt((int) n);
            } else {
                double u = random.nextDouble() * total;
                pick = 0;
                for (double acc = best[0]; acc < u && pick < n - 1; ) {
                    acc += best[++pick];
                }
            }
            chosen[j] = pick;
            float[] d = distanceTo(x, pick);
            for (int i = 0; i < n; i++) {
                best[i] = Math.min(best[i], d[i]);
            }
        }
        return x.get(new NDIndex("{}", x.getManager().create(toLong(chosen))));
    }

    private static float[] distanceTo(NDArray x, int row) {
        try (NDScope scope = new NDScope()) {
            return x.sub(x.get(row)).square().sum(new int[] {1}).toFloatArray();
        }
    }

    /** Moves each empty center onto one of the rows farthest from their assigned centers. */
    private static NDArray reseedEmpty(NDArray x, NDArray c, NDArray assignment, float[] count, int empty) {
        NDArray far = x.sub(Codebooks.gather(c, assignment)).square().sum(new int[] {1}).argSort(0, false)
                .get(new NDIndex(":{}", empty));
        long[] rows = far.toLongArray();
        float[] values = c.toFloatArray();
        int d = (int) c.getShape().get(1);
        int next = 0;
        for (int j = 0; j < count.length; j++) {
            if (count[j] == 0) {
                float[] row = x.get(rows[next++]).toFloatArray();
                System.arraycopy(row, 0, values, j * d, d);
            }
        }
        return x.getManager().create(values, new Shape(count.length, d));
    }

    private static long[] toLong(int[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
