package io.quasid.plugins.quasid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ordered row pairs {@code (i, j)}, {@code i != j}, whose SIDs differ in at most {@code R} levels and
 * whose pair is valid, found without touching the other {@code N^2} pairs: rows are bucketed by their
 * codes outside each set of {@code R} wildcard levels, and a pair is taken from the one bucket whose
 * wildcard set is its canonical one (the levels it differs in, topped up with the lowest others).
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
     * {@code codes}: {@code n x levels} row-major; {@code valid}: {@code n x n} row-major. Returns null when
     * the buckets hold more than {@code limit} candidate pairs (a batch where most rows collide, as early in
     * training): then every pair is near and the caller is better served by the dense {@code N x N} form.
     */
    static NearPairs of(int[] codes, int n, int levels, int radius, boolean[] valid, long limit) {
        int r = Math.min(radius, levels);
        List<Map<Key, List<Integer>>> wildcards = new ArrayList<>();
        List<Integer> masks = new ArrayList<>();
        long candidates = 0;
        for (int wildcard = 0; wildcard < (1 << levels); wildcard++) {
            if (Integer.bitCount(wildcard) != r) {
                continue;
            }
            Map<Key, List<Integer>> buckets = new HashMap<>();
            for (int i = 0; i < n; i++) {
                buckets.computeIfAbsent(new Key(codes, i * levels, levels, wildcard), k -> new ArrayList<>()).add(i);
            }
            for (List<Integer> rows : buckets.values()) {
                candidates += (long) rows.size() * (rows.size() - 1);
            }
            if (candidates > limit) {
                return null;
            }
            wildcards.add(buckets);
            masks.add(wildcard);
        }
        List<int[]> found = new ArrayList<>();
        for (int w = 0; w < masks.size(); w++) {
            int wildcard = masks.get(w);
            for (List<Integer> rows : wildcards.get(w).values()) {
                for (int a = 0; a < rows.size(); a++) {
                    for (int b = a + 1; b < rows.size(); b++) {
                        int i = rows.get(a);
                        int j = rows.get(b);
                        int differing = 0;
                        for (int l = 0; l < levels; l++) {
                            if (codes[i * levels + l] != codes[j * levels + l]) {
                                differing |= 1 << l;
                            }
                        }
                        if (canonical(differing, levels, r) != wildcard) {
                            continue;
                        }
                        int h = Integer.bitCount(differing);
                        if (valid[i * n + j]) {
                            found.add(new int[] {i, j, h});
                        }
                        if (valid[j * n + i]) {
                            found.add(new int[] {j, i, h});
                        }
                    }
                }
            }
        }
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

    private static int canonical(int differing, int levels, int r) {
        int mask = differing;
        for (int l = 0; l < levels && Integer.bitCount(mask) < r; l++) {
            mask |= 1 << l;
        }
        return mask;
    }

    /** A row's codes with the wildcard levels left out. */
    private static final class Key {
        private final int[] codes;

        Key(int[] all, int offset, int levels, int wildcard) {
            codes = new int[levels];
            for (int l = 0; l < levels; l++) {
                codes[l] = (wildcard & (1 << l)) != 0 ? -1 : all[offset + l];
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(codes, k.codes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(codes);
        }
    }
}
