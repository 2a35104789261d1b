package io.quasid.core.sid;

import io.quasid.spi.Embeddings;
import io.quasid.spi.Settings;
import io.quasid.spi.SidCodes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Computes {@link SidStats} exactly (METHOD.md §5). */
public final class SidMetrics {
    private SidMetrics() {}

    /** The metrics of {@code table} for the codebook of its shape. */
    public static SidStats compute(SidTable table) {
        int n = table.size();
        int levels = table.levels();
        int codes = table.shape().codes();
        SidCodes matrix = table.codes();
        int[] groups = matrix.buckets(0).stream().mapToInt(b -> b.length).toArray();
        int maxGroup = Arrays.stream(groups).max().orElse(0);
        double entropy = entropy(groups, n);

        List<Double> perplexity = new ArrayList<>();
        List<Double> utilisation = new ArrayList<>();
        List<Double> top1 = new ArrayList<>();
        for (int[] usage : matrix.usage(codes)) {
            perplexity.add(Math.exp(entropy(usage, n)));
            utilisation.add((double) Arrays.stream(usage).filter(c -> c > 0).count() / codes);
            top1.add((double) Arrays.stream(usage).max().orElse(0) / n);
        }
        List<Long> nearest = new ArrayList<>();
        for (long count : hammingNearest(table)) {
            nearest.add(count);
        }
        return new SidStats(n, levels, codes, 1.0 - (double) groups.length / n, maxGroup, entropy, perplexity,
                perplexity.stream().mapToDouble(Double::doubleValue).average().orElse(0),
                perplexity.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                utilisation, top1, top1.stream().mapToDouble(Double::doubleValue).average().orElse(0), nearest, null);
    }

    /** {@code -sum p ln p} of the counts, {@code p = count / total}. */
    static double entropy(int[] counts, int total) {
        double h = 0;
        for (int c : counts) {
            if (c > 0) {
                double p = (double) c / total;
                h -= p * Math.log(p);
            }
        }
        return h;
    }

    /**
     * For each item, the Hamming distance to the nearest SID of another item; returns the histogram over
     * {@code 0..L}. A table of one item has an empty histogram.
     *
     * <p>Exact and near linear: an item has another item within distance {@code d} iff for some set
     * {@code S} of {@code d} levels, more items agree with it outside {@code S} than share its full SID
     * (for {@code d >= 1}), or its full SID is shared (for {@code d = 0}).
     */
    public static long[] hammingNearest(SidTable table) {
        int n = table.size();
        int levels = table.levels();
        long[] histogram = new long[levels + 1];
        if (n < 2) {
            return histogram;
        }
        int[] nearest = new int[n];
        Arrays.fill(nearest, -1);
        SidCodes codes = table.codes();
        int[] fullCount = bucketCounts(codes, 0);
        int unresolved = 0;
        for (int i = 0; i < n; i++) {
            if (fullCount[i] > 1) {
                nearest[i] = 0;
            } else {
                unresolved++;
            }
        }
        for (int d = 1; d <= levels && unresolved > 0; d++) {
            for (int wildcard : SidCodes.levelSets(levels, d)) {
                int[] count = bucketCounts(codes, wildcard);
                for (int i = 0; i < n; i++) {
                    if (nearest[i] < 0 && count[i] > fullCount[i]) {
                        nearest[i] = d;
                        unresolved--;
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            histogram[nearest[i]]++;
        }
        return histogram;
    }

    /**
     * Counts the pairs of items whose SIDs differ in at most {@code radius} levels, and those of them whose
     * content cosine similarity is below {@code threshold}; {@code embeddings} has one row per table row.
     */
    public static SidStats.Entanglement entanglement(SidTable table, Embeddings embeddings, int radius, double threshold) {
        Settings.inRange("radius (R)", radius, 0, table.levels());
        Settings.inRange("entangled threshold", threshold, -1.0, 1.0);
        if (embeddings.rows() != table.size()) {
            throw new IllegalArgumentException("the embeddings have " + embeddings.rows() + " rows, the SID table " + table.size() + " items");
        }
        float[][] unit = normalised(embeddings);
        long[] pairs = new long[2];
        table.codes().near(radius).forEach((i, j, differing) -> {
            pairs[0]++;
            if (dot(unit[i], unit[j]) < threshold) {
                pairs[1]++;
            }
        });
        return new SidStats.Entanglement(radius, threshold, pairs[0], pairs[1]);
    }

    private static float[][] normalised(Embeddings e) {
        float[][] out = new float[e.rows()][];
        for (int i = 0; i < e.rows(); i++) {
            float[] row = e.row(i);
            double norm = 0;
            for (float v : row) {
                norm += v * v;
            }
            float inv = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0f;
            for (int j = 0; j < row.length; j++) {
                row[j] *= inv;
            }
            out[i] = row;
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    /** For each row, the number of rows whose SID agrees with it on every level outside {@code wildcard}. */
    private static int[] bucketCounts(SidCodes codes, int wildcard) {
        int[] count = new int[codes.rows()];
        for (int[] bucket : codes.buckets(wildcard)) {
            for (int row : bucket) {
                count[row] = bucket.length;
            }
        }
        return count;
    }
}
