package io.quasid.core.sid;

import io.quasid.spi.Embeddings;
import io.quasid.spi.Settings;
import io.quasid.spi.Sid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Computes {@link SidStats} exactly (METHOD.md §5). */
public final class SidMetrics {
    private SidMetrics() {}

    /** The metrics of {@code table} for a codebook of {@code codes} (K) codes per level. */
    public static SidStats compute(SidTable table, int codes) {
        int n = table.size();
        int levels = table.levels();
        if (codes < table.minimumCodes()) {
            throw new IllegalArgumentException("codes (K) = " + codes + " is smaller than the table needs: it uses code "
                    + (table.minimumCodes() - 1));
        }
        Map<Sid, Integer> groups = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            groups.merge(table.sid(i), 1, Integer::sum);
        }
        int maxGroup = groups.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        double entropy = entropy(groups.values().stream().mapToInt(Integer::intValue).toArray(), n);

        List<Double> perplexity = new ArrayList<>();
        List<Double> utilisation = new ArrayList<>();
        List<Double> top1 = new ArrayList<>();
        for (int l = 0; l < levels; l++) {
            int[] usage = new int[codes];
            for (int i = 0; i < n; i++) {
                usage[table.sid(i).code(l)]++;
            }
            perplexity.add(Math.exp(entropy(usage, n)));
            utilisation.add((double) Arrays.stream(usage).filter(c -> c > 0).count() / codes);
            top1.add((double) Arrays.stream(usage).max().orElse(0) / n);
        }
        List<Long> nearest = new ArrayList<>();
        for (long count : hammingNearest(table)) {
            nearest.add(count);
        }
        return new SidStats(n, levels, codes, 1.0 - (double) groups.size() / n, maxGroup, entropy, perplexity,
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
        int[] fullCount = bucketCounts(table, 0);
        int unresolved = 0;
        for (int i = 0; i < n; i++) {
            if (fullCount[i] > 1) {
                nearest[i] = 0;
            } else {
                unresolved++;
            }
        }
        for (int d = 1; d <= levels && unresolved > 0; d++) {
            for (int wildcard : subsetsOfSize(levels, d)) {
                int[] count = bucketCounts(table, wildcard);
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
        int levels = table.levels();
        long pairs = 0;
        long entangled = 0;
        for (int wildcard : subsetsOfSize(levels, radius)) {
            for (int[] bucket : buckets(table, wildcard)) {
                for (int a = 0; a < bucket.length; a++) {
                    for (int b = a + 1; b < bucket.length; b++) {
                        int i = bucket[a];
                        int j = bucket[b];
                        // a pair whose SIDs differ in fewer than R levels lies in several buckets; count it in one
                        if (canonicalWildcard(differingLevels(table.sid(i), table.sid(j)), levels, radius) != wildcard) {
                            continue;
                        }
                        pairs++;
                        if (dot(unit[i], unit[j]) < threshold) {
                            entangled++;
                        }
                    }
                }
            }
        }
        return new SidStats.Entanglement(radius, threshold, pairs, entangled);
    }

    private static int differingLevels(Sid a, Sid b) {
        int mask = 0;
        for (int l = 0; l < a.levels(); l++) {
            if (a.code(l) != b.code(l)) {
                mask |= 1 << l;
            }
        }
        return mask;
    }

    /** The differing levels topped up with the lowest other levels to {@code radius} levels. */
    private static int canonicalWildcard(int differing, int levels, int radius) {
        int mask = differing;
        for (int l = 0; l < levels && Integer.bitCount(mask) < radius; l++) {
            mask |= 1 << l;
        }
        return mask;
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
    private static int[] bucketCounts(SidTable table, int wildcard) {
        int[] count = new int[table.size()];
        for (int[] bucket : buckets(table, wildcard)) {
            for (int row : bucket) {
                count[row] = bucket.length;
            }
        }
        return count;
    }

    /** Rows grouped by their SID with the levels in {@code wildcard} ignored. */
    private static List<int[]> buckets(SidTable table, int wildcard) {
        Map<Sid, List<Integer>> groups = new HashMap<>(table.size() * 2);
        for (int i = 0; i < table.size(); i++) {
            groups.computeIfAbsent(masked(table.sid(i), wildcard), k -> new ArrayList<>()).add(i);
        }
        List<int[]> out = new ArrayList<>(groups.size());
        for (List<Integer> rows : groups.values()) {
            out.add(rows.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    private static Sid masked(Sid sid, int wildcard) {
        int[] codes = sid.codes();
        for (int l = 0; l < codes.length; l++) {
            if ((wildcard & (1 << l)) != 0) {
                codes[l] = 0;
            }
        }
        return Sid.of(codes);
    }

    private static List<Integer> subsetsOfSize(int levels, int size) {
        List<Integer> out = new ArrayList<>();
        for (int mask = 0; mask < (1 << levels); mask++) {
            if (Integer.bitCount(mask) == size) {
                out.add(mask);
            }
        }
        return out;
    }
}
