package io.quasid.ranking.mahout;

import io.quasid.spi.Settings;
import io.quasid.spi.Sid;
import io.quasid.spi.SidCodes;
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
    private final FastByIDMap<Integer> rows; // Taste's primitive-keyed map: lookups sit in the recommender's inner loop
    /** The row of each id {@code 0..n-1} when the ids are that dense (a catalogue index), -1 for none; else null. */
    private final int[] dense;
    private final long[] ids;
    private final Sid[] byRow;
    private final SidCodes codes;
    private final List<Map<SidCodes.Key, long[]>> byPrefix;

    public SidIndex(Map<Long, Sid> sids) {
        if (sids.isEmpty()) {
            throw new IllegalArgumentException("an SID index needs at least one item");
        }
        long[] ids = sids.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        this.ids = ids;
        this.byRow = new Sid[ids.length];
        this.rows = new FastByIDMap<>(ids.length);
        for (int r = 0; r < ids.length; r++) {
            byRow[r] = sids.get(ids[r]);
            if (byRow[r].levels() != byRow[0].levels()) {
                throw new IllegalArgumentException("item " + ids[r] + " has " + byRow[r].levels() + " levels, others " + byRow[0].levels());
            }
            rows.put(ids[r], r);
        }
        boolean small = ids[0] >= 0 && ids[ids.length - 1] < 2L * ids.length + 1024;
        this.dense = small ? new int[(int) ids[ids.length - 1] + 1] : null;
        if (small) {
            Arrays.fill(dense, -1);
            for (int r = 0; r < ids.length; r++) {
                dense[(int) ids[r]] = r;
            }
        }
        this.codes = SidCodes.of(byRow);
        this.byPrefix = new ArrayList<>();
        for (int p = 1; p <= codes.levels(); p++) {
            int wildcard = codes.afterPrefix(p);
            Map<SidCodes.Key, long[]> groups = new HashMap<>();
            for (int[] bucket : codes.buckets(wildcard)) {
                groups.put(codes.key(bucket[0], wildcard), Arrays.stream(bucket).mapToLong(r -> ids[r]).toArray()); // rows ascend with ids
            }
            byPrefix.add(groups);
        }
    }

    public int levels() {
        return codes.levels();
    }

    /** True if the index knows {@code item}. */
    public boolean contains(long item) {
        return row(item) >= 0;
    }

    /** The number of items the index knows. */
    public int size() {
        return ids.length;
    }

    /** The row of {@code item} ({@code 0..size()-1}, in id order), -1 if the index does not know it. */
    public int row(long item) {
        if (dense != null) {
            return item >= 0 && item < dense.length ? dense[(int) item] : -1;
        }
        Integer row = rows.get(item);
        return row == null ? -1 : row;
    }

    /** The Taste item id of row {@code row}. */
    public long id(int row) {
        return ids[row];
    }

    /** The SID of {@code item}, null if the index does not know it. */
    public Sid sid(long item) {
        int row = row(item);
        return row < 0 ? null : byRow[row];
    }

    /** The number of leading codes two items share (0 if either is unknown). */
    public int sharedPrefix(long a, long b) {
        return sharedPrefix(sid(a), sid(b));
    }

    /** The number of leading codes two SIDs share (0 if either is null). */
    int sharedPrefix(Sid x, Sid y) {
        return x == null || y == null ? 0 : x.sharedPrefix(y);
    }

    /** The items (ascending ids, {@code item} included) that share the first {@code length} codes with {@code item}. */
    public long[] sharingPrefix(long item, int length) {
        Settings.inRange("prefix length", length, 1, codes.levels());
        Object key = prefixKey(item, length);
        return key == null ? new long[0] : byPrefix.get(length - 1).get(key).clone();
    }

    /** A key of {@code item}'s first {@code length} codes, equal for items that share them; null if unknown. */
    Object prefixKey(long item, int length) {
        int row = row(item);
        return row < 0 ? null : codes.key(row, codes.afterPrefix(length));
    }
}
