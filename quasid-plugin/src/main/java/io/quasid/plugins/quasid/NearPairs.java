package io.quasid.plugins.quasid;

import io.quasid.spi.SidCodes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.IntStream;

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
     * {@code valid} says which of the near pairs it is given ({@code first[p], second[p]}) are valid. Returns null
     * when the buckets hold more than {@code limit} candidate (ordered) pairs, as in a batch where most rows
     * collide early in training: then every pair is near and the caller is better served by the dense
     * {@code N x N} form.
     */
    static NearPairs of(SidCodes codes, int radius, BiFunction<int[], int[], boolean[]> valid, long limit) {
        SidCodes.NearPairs near = codes.near(radius);
        if (2 * near.pairsInBuckets() > limit) {
            return null;
        }
        List<int[]> found = new ArrayList<>(); // (i, j, Hamming distance), in both orders
        near.forEach((i, j, differing) -> {
            int h = Integer.bitCount(differing);
            found.add(new int[] {i, j, h});
            found.add(new int[] {j, i, h});
        });
        boolean[] ok = valid.apply(column(found, 0), column(found, 1));
        List<int[]> kept = IntStream.range(0, ok.length).filter(p -> ok[p]).mapToObj(found::get).toList();
        return new NearPairs(column(kept, 0), column(kept, 1), column(kept, 2), kept.size());
    }

    private static int[] column(List<int[]> rows, int k) {
        return rows.stream().mapToInt(r -> r[k]).toArray();
    }
}
