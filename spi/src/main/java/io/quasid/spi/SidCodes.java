package io.quasid.spi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SIDs of {@code n} rows as one matrix of codes (row-major, level 1 first) and the geometry every
 * consumer of SIDs shares (METHOD.md §3.2, §5): the levels two rows differ in, a row's key with some
 * levels left out (a prefix is the key with the later levels left out), buckets of rows whose keys agree,
 * the near pairs found from those buckets without visiting the other {@code n^2} pairs, and per-level code
 * usage. A set of levels is a bit mask: level {@code l} (0-based) is bit {@code l}.
 */
public final class SidCodes {
    private final int[] codes;
    private final int rows;
    private final int levels;

    private SidCodes(int[] codes, int levels) {
        Settings.inRange("levels (L)", levels, 1, CodebookShape.MAX_LEVELS);
        if (codes.length % levels != 0) {
            throw new IllegalArgumentException(codes.length + " codes do not make rows of " + levels + " levels");
        }
        this.codes = codes;
        this.levels = levels;
        this.rows = codes.length / levels;
    }

    /** The rows of {@code codes}, {@code levels} codes each (row-major); the array is not copied. */
    public static SidCodes of(int[] codes, int levels) {
        return new SidCodes(codes, levels);
    }

    /** One row per SID; all SIDs must have the same number of levels. */
    public static SidCodes of(Sid[] sids) {
        if (sids.length == 0) {
            throw new IllegalArgumentException("no SIDs");
        }
        int levels = sids[0].levels();
        int[] codes = new int[sids.length * levels];
        for (int i = 0; i < sids.length; i++) {
            if (sids[i].levels() != levels) {
                throw new IllegalArgumentException("SID " + sids[i] + " of row " + i + " has " + sids[i].levels() + " levels, row 0's has " + levels);
            }
            for (int l = 0; l < levels; l++) {
                codes[i * levels + l] = sids[i].code(l);
            }
        }
        return new SidCodes(codes, levels);
    }

    public int rows() {
        return rows;
    }

    public int levels() {
        return levels;
    }

    /** Row {@code row}'s code at {@code level} (0-based). */
    public int code(int row, int level) {
        return codes[row * levels + level];
    }

    /** The levels where rows {@code i} and {@code j} differ; its bit count is {@code H_ij}. */
    public int differing(int i, int j) {
        int mask = 0;
        for (int l = 0; l < levels; l++) {
            if (codes[i * levels + l] != codes[j * levels + l]) {
                mask |= 1 << l;
            }
        }
        return mask;
    }

    /** The levels {@code length..L-1}: what a prefix of {@code length} codes leaves out. */
    public int afterPrefix(int length) {
        Settings.inRange("prefix length", length, 0, levels);
        return ((1 << levels) - 1) & ~((1 << length) - 1);
    }

    /** Row {@code row}'s codes with the levels in {@code wildcard} left out: two rows' keys are equal iff they agree outside it. */
    public Key key(int row, int wildcard) {
        int[] k = new int[levels];
        for (int l = 0; l < levels; l++) {
            k[l] = (wildcard & (1 << l)) != 0 ? -1 : codes[row * levels + l];
        }
        return new Key(k);
    }

    /** The rows grouped by {@link #key}, each group in row order, groups in the order of their first row. */
    public List<int[]> buckets(int wildcard) {
        Map<Key, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < rows; i++) {
            groups.computeIfAbsent(key(i, wildcard), k -> new ArrayList<>()).add(i);
        }
        List<int[]> out = new ArrayList<>(groups.size());
        for (List<Integer> rowsOfKey : groups.values()) {
            out.add(rowsOfKey.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    /** Each row's bucket under {@code wildcard} as a number {@code 0, 1, ...} in the order of the buckets' first rows. */
    public int[] bucketIds(int wildcard) {
        Map<Key, Integer> ids = new HashMap<>();
        int[] out = new int[rows];
        for (int i = 0; i < rows; i++) {
            out[i] = ids.computeIfAbsent(key(i, wildcard), k -> ids.size());
        }
        return out;
    }

    /** Per level, the number of rows on each of the {@code codes} codes. */
    public int[][] usage(int codes) {
        int[][] usage = new int[levels][codes];
        for (int i = 0; i < rows; i++) {
            for (int l = 0; l < levels; l++) {
                int c = this.codes[i * levels + l];
                if (c >= codes) {
                    throw new IllegalArgumentException("row " + i + " has code " + c + " at level " + (l + 1) + ", allowed 0.." + (codes - 1));
                }
                usage[l][c]++;
            }
        }
        return usage;
    }

    /** The sets of exactly {@code size} of the {@code levels} levels, ascending. */
    public static int[] levelSets(int levels, int size) {
        return java.util.stream.IntStream.range(0, 1 << levels).filter(m -> Integer.bitCount(m) == size).toArray();
    }

    /**
     * The pairs of rows whose SIDs differ in at most {@code radius} levels, found by bucketing the rows on
     * their codes outside each set of {@code radius} levels; a pair lies in one bucket per such set that
     * holds the levels it differs in, and is visited in one: the set of those levels topped up with the
     * lowest other levels.
     */
    public NearPairs near(int radius) {
        int r = Math.min(Math.max(radius, 0), levels);
        int[] sets = levelSets(levels, r);
        List<List<int[]>> buckets = new ArrayList<>(sets.length);
        long inBuckets = 0;
        for (int wildcard : sets) {
            List<int[]> b = buckets(wildcard);
            for (int[] group : b) {
                inBuckets += (long) group.length * (group.length - 1) / 2;
            }
            buckets.add(b);
        }
        return new NearPairs(r, sets, buckets, inBuckets);
    }

    /** Receives a near pair: rows {@code i < j} and the levels they differ in. */
    @FunctionalInterface
    public interface PairVisitor {
        void visit(int i, int j, int differing);
    }

    /** The buckets of {@link #near}; {@link #forEach} visits every near pair once. */
    public final class NearPairs {
        private final int radius;
        private final int[] sets;
        private final List<List<int[]>> buckets;
        private final long inBuckets;

        private NearPairs(int radius, int[] sets, List<List<int[]>> buckets, long inBuckets) {
            this.radius = radius;
            this.sets = sets;
            this.buckets = buckets;
            this.inBuckets = inBuckets;
        }

        /** The pairs of rows sharing a bucket, counted once per bucket (an upper bound on the near pairs and the cost of {@link #forEach}). */
        public long pairsInBuckets() {
            return inBuckets;
        }

        /** Visits each pair of rows differing in at most the radius' levels exactly once, {@code i < j}. */
        public void forEach(PairVisitor visitor) {
            for (int s = 0; s < sets.length; s++) {
                for (int[] group : buckets.get(s)) {
                    for (int a = 0; a < group.length; a++) {
                        for (int b = a + 1; b < group.length; b++) {
                            int differing = differing(group[a], group[b]);
                            if (canonical(differing) == sets[s]) {
                                visitor.visit(group[a], group[b], differing);
                            }
                        }
                    }
                }
            }
        }

        /** The differing levels topped up with the lowest other levels to the radius. */
        private int canonical(int differing) {
            int mask = differing;
            for (int l = 0; l < levels && Integer.bitCount(mask) < radius; l++) {
                mask |= 1 << l;
            }
            return mask;
        }
    }

    /** A row's codes with some levels left out (as -1). */
    public static final class Key {
        private final int[] codes;

        private Key(int[] codes) {
            this.codes = codes;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(codes, k.codes);
        }

        @Override
        public int hashCode() {
            return hash(codes);
        }

        @Override
        public String toString() {
            return Arrays.toString(codes);
        }
    }

    /**
     * A hash of codes that spreads tuples of small codes over all bits ({@code Arrays.hashCode}'s factor 31 is
     * smaller than a code, so {@code (a, b + 1, c - 31)} and {@code (a, b, c)} collide, and hash maps of SIDs
     * degrade into trees).
     */
    static int hash(int[] codes) {
        int h = codes.length;
        for (int c : codes) {
            h = h * 0x9E3779B1 + c;
        }
        h ^= h >>> 16; // MurmurHash3's finaliser
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }
}
