package io.quasid.ranking.mahout;

import io.quasid.spi.Settings;
import io.quasid.spi.Sid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.mahout.cf.taste.impl.common.FastByIDMap;

/**
 * The SIDs of a host's items by Taste item id, with every item grouped by each SID prefix length, so
 * "items sharing the first {@code p} codes with item {@code i}" is one lookup. Items need no
 * interactions to be here: that is how cold items reach the host.
 */
public final class SidIndex {
    private final FastByIDMap<Sid> sids; // Taste's primitive-keyed map: lookups sit in the recommender's inner loop
    private final int levels;
    private final List<Map<Prefix, long[]>> byPrefix;

    private record Prefix(List<Integer> codes) {}

    public SidIndex(Map<Long, Sid> sids) {
        if (sids.isEmpty()) {
            throw new IllegalArgumentException("an SID index needs at least one item");
        }
        this.sids = new FastByIDMap<>(sids.size());
        sids.forEach(this.sids::put);
        this.levels = sids.values().iterator().next().levels();
        this.byPrefix = new ArrayList<>();
        for (int p = 1; p <= levels; p++) {
            Map<Prefix, List<Long>> groups = new HashMap<>();
            for (Map.Entry<Long, Sid> e : sids.entrySet()) {
                if (e.getValue().levels() != levels) {
                    throw new IllegalArgumentException("item " + e.getKey() + " has " + e.getValue().levels() + " levels, others " + levels);
                }
                groups.computeIfAbsent(prefix(e.getValue(), p), k -> new ArrayList<>()).add(e.getKey());
            }
            Map<Prefix, long[]> sorted = new HashMap<>();
            groups.forEach((k, ids) -> {
                long[] a = ids.stream().mapToLong(Long::longValue).toArray();
                Arrays.sort(a);
                sorted.put(k, a);
            });
            byPrefix.add(sorted);
        }
    }

    private static Prefix prefix(Sid sid, int length) {
        List<Integer> codes = new ArrayList<>(length);
        for (int l = 0; l < length; l++) {
            codes.add(sid.code(l));
        }
        return new Prefix(codes);
    }

    public int levels() {
        return levels;
    }

    /** True if the index knows {@code item}. */
    public boolean contains(long item) {
        return sids.containsKey(item);
    }

    /** The SID of {@code item}, null if the index does not know it. */
    public Sid sid(long item) {
        return sids.get(item);
    }

    /** The number of leading codes two items share (0 if either is unknown). */
    public int sharedPrefix(long a, long b) {
        return sharedPrefix(sids.get(a), sids.get(b));
    }

    /** The number of leading codes two SIDs share (0 if either is null). */
    int sharedPrefix(Sid x, Sid y) {
        if (x == null || y == null) {
            return 0;
        }
        int p = 0;
        while (p < levels && x.code(p) == y.code(p)) {
            p++;
        }
        return p;
    }

    /** The items (ascending ids, {@code item} included) that share the first {@code length} codes with {@code item}. */
    public long[] sharingPrefix(long item, int length) {
        Settings.inRange("prefix length", length, 1, levels);
        Sid sid = sids.get(item);
        if (sid == null) {
            return new long[0];
        }
        return byPrefix.get(length - 1).get(prefix(sid, length)).clone();
    }

    /** A key of {@code item}'s first {@code length} codes, equal for items that share them; null if unknown. */
    Object prefixKey(long item, int length) {
        Sid sid = sids.get(item);
        return sid == null ? null : prefix(sid, length);
    }
}
