package io.quasid.plugins.quasid;

import io.quasid.spi.SidCodes;
import java.util.ArrayList;
import java.util.List;

/**
 * The ordered row pairs {@code (i, j)}, {@code i != j}, whose SIDs differ in at most {@code R} levels and
 * whose pair is valid, found without touching the other {@code N^2} pairs ({@link SidCodes#near}).
 */
final class NearPairs {
    final int[] first;
    final int[] second;
    final int[] hamming;
    final int size;

    private NearPairs(int[] first, int[] second, int[] hamming, int size) {
        this.first = first;
        this.second = second;
        this.hamming = hamming;
        this.size = size;
    }

    /**
     * {@code valid}: {@code n x n} row-major. Returns null when the buckets hold more than {@code limit}
     * candidate (ordered) pairs, as in a batch where most rows collide early in training: then every pair is
     * near and the caller is better served by the dense {@code N x N} form.
     */
    static NearPairs of(SidCodes codes, int radius, boolean[] valid, long limit) {
        int n = codes.rows();
        SidCodes.NearPairs near = codes.near(radius);
        if (2 * near.pairsInBuckets() > limit) {
            return null;
        }
        List<int[]> found = new ArrayList<>();
        near.forEach((i, j, differing) -> {
            int h = Integer.bitCount(differing);
            if (valid[i * n + j]) {
                found.add(new int[] {i, j, h});
            }
            if (valid[j * n + i]) {
                found.add(new int[] {j, i, h});
            }
        });
        int[] first = new int[found.size()];
        int[] second = new int[found.size()];
        int[] hamming = new int[found.size()];
        for (int p = 0; p < found.size(); p++) {
            first[p] = found.get(p)[0];
            second[p] = found.get(p)[1];
            hamming[p] = found.get(p)[2];
        }
        return new NearPairs(first, second, hamming, found.size());
    }
}
