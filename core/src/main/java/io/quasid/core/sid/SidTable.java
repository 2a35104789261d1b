package io.quasid.core.sid;

import io.quasid.spi.CodebookShape;
import io.quasid.spi.Sid;
import io.quasid.spi.SidCodes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SID of every item: item ids in order, one SID each, all of one {@link CodebookShape} (the table carries
 * its codebook size, so every consumer measures against the same {@code K}), and each item's de-duplication
 * code {@code d}, which tells apart items that share a SID (METHOD.md §7): given with the table (a published
 * table keeps its names), else 0 for the first item in item-id order holding a SID, 1 for the next, and so on.
 */
public final class SidTable {
    private final List<String> items;
    private final Sid[] sids;
    private final CodebookShape shape;
    private final SidCodes codes;
    private final int[] dedup;

    /** A table of {@code shape}, de-duplication codes in item-id order within each SID; every SID must fit it. */
    public SidTable(List<String> items, Sid[] sids, CodebookShape shape) {
        this(items, sids, null, shape);
    }

    /**
     * A table of {@code shape} with the de-duplication code of every row ({@code null}: in item-id order within
     * each SID); fails on a negative code or two items that share a SID and a code.
     */
    public SidTable(List<String> items, Sid[] sids, int[] dedup, CodebookShape shape) {
        if (items.size() != sids.length) {
            throw new IllegalArgumentException(items.size() + " items but " + sids.length + " SIDs");
        }
        if (sids.length == 0) {
            throw new IllegalArgumentException("an SID table needs at least one item");
        }
        Map<String, Integer> seen = new HashMap<>(items.size() * 2);
        for (int i = 0; i < sids.length; i++) {
            try {
                shape.requireFits(sids[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("item " + items.get(i) + ": " + e.getMessage(), e);
            }
            Integer previous = seen.putIfAbsent(items.get(i), i);
            if (previous != null) {
                throw new IllegalArgumentException("item " + items.get(i) + " appears twice (rows " + (previous + 1) + " and " + (i + 1) + ")");
            }
        }
        this.items = List.copyOf(items);
        this.sids = sids.clone();
        this.shape = shape;
        this.codes = SidCodes.of(this.sids);
        this.dedup = dedup == null ? inItemIdOrder() : checked(dedup);
    }

    private int[] inItemIdOrder() {
        int[] d = new int[sids.length];
        for (int[] same : codes.buckets(0)) {
            Integer[] byId = java.util.Arrays.stream(same).boxed().sorted(java.util.Comparator.comparing(items::get)).toArray(Integer[]::new);
            for (int k = 0; k < byId.length; k++) {
                d[byId[k]] = k;
            }
        }
        return d;
    }

    /** Why two items cannot share a SID and a de-duplication code: the message naming both. */
    public static String sharedDedup(String a, String b, Sid sid, int d) {
        return "items " + a + " and " + b + " share SID " + sid + " and de-duplication code " + d;
    }

    private int[] checked(int[] given) {
        if (given.length != sids.length) {
            throw new IllegalArgumentException(sids.length + " SIDs but " + given.length + " de-duplication codes");
        }
        Map<Sid, Map<Integer, Integer>> used = new HashMap<>();
        for (int i = 0; i < given.length; i++) {
            if (given[i] < 0) {
                throw new IllegalArgumentException("item " + items.get(i) + ": de-duplication code " + given[i] + " is negative");
            }
            Integer other = used.computeIfAbsent(sids[i], k -> new HashMap<>()).putIfAbsent(given[i], i);
            if (other != null) {
                throw new IllegalArgumentException(sharedDedup(items.get(other), items.get(i), sids[i], given[i]));
            }
        }
        return given.clone();
    }

    /** A table whose codebook is the smallest that fits its SIDs (largest code + 1, at least 2). */
    public static SidTable fitted(List<String> items, Sid[] sids) {
        if (sids.length == 0) {
            throw new IllegalArgumentException("an SID table needs at least one item");
        }
        return new SidTable(items, sids, new CodebookShape(sids[0].levels(), minimumCodes(sids)));
    }

    /** The same SIDs with a codebook of {@code codes} codes per level. */
    public SidTable withCodes(int codes) {
        return new SidTable(items, sids, dedup, new CodebookShape(shape.levels(), codes));
    }

    /**
     * The SIDs of {@code ids}, in that order, with this table's codebook: this table when its items are
     * {@code ids}; fails naming (up to five of) the ids the table lacks.
     */
    public SidTable alignedTo(List<String> ids) {
        if (items.equals(ids)) {
            return this;
        }
        Map<String, Integer> row = new HashMap<>(items.size() * 2);
        for (int i = 0; i < items.size(); i++) {
            row.put(items.get(i), i);
        }
        Sid[] out = new Sid[ids.size()];
        int[] d = new int[ids.size()];
        List<String> missing = new java.util.ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            Integer r = row.get(ids.get(i));
            if (r == null) {
                missing.add(ids.get(i));
            } else {
                out[i] = sids[r];
                d[i] = dedup[r];
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(missing.size() + " of " + ids.size() + " items have no SID, e.g. " + missing.subList(0, Math.min(5, missing.size())));
        }
        return new SidTable(ids, out, d, shape);
    }

    public int size() {
        return sids.length;
    }

    public int levels() {
        return shape.levels();
    }

    /** The codebook the SIDs are drawn from: {@code L} levels of {@code K} codes. */
    public CodebookShape shape() {
        return shape;
    }

    public List<String> items() {
        return items;
    }

    public String item(int row) {
        return items.get(row);
    }

    public Sid sid(int row) {
        return sids[row];
    }

    /** The de-duplication code of row {@code row}: distinct among the rows that share its SID. */
    public int dedup(int row) {
        return dedup[row];
    }

    /** The de-duplication codes, one per row. */
    public int[] dedups() {
        return dedup.clone();
    }

    /** The SIDs, one per row. */
    public Sid[] sids() {
        return sids.clone();
    }

    /** The SIDs as a code matrix, for prefixes, buckets, near pairs and code usage. */
    public SidCodes codes() {
        return codes;
    }

    /** The largest code used at any level, plus one, and at least 2: the smallest codebook size that fits {@code sids}. */
    public static int minimumCodes(Sid[] sids) {
        int max = 1;
        for (Sid sid : sids) {
            for (int l = 0; l < sid.levels(); l++) {
                max = Math.max(max, sid.code(l));
            }
        }
        return max + 1;
    }
}
