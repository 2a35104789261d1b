package io.quasid.core.sid;

import io.quasid.spi.Sid;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The SID of every item: item ids in order, one SID each, all with the same number of levels. */
public final class SidTable {
    private final List<String> items;
    private final Sid[] sids;
    private final int levels;

    public SidTable(List<String> items, Sid[] sids) {
        if (items.size() != sids.length) {
            throw new IllegalArgumentException(items.size() + " items but " + sids.length + " SIDs");
        }
        if (sids.length == 0) {
            throw new IllegalArgumentException("an SID table needs at least one item");
        }
        this.levels = sids[0].levels();
        Map<String, Integer> seen = new HashMap<>(items.size() * 2);
        for (int i = 0; i < sids.length; i++) {
            if (sids[i].levels() != levels) {
                throw new IllegalArgumentException("item " + items.get(i) + " has an SID of " + sids[i].levels()
                        + " levels, the first item's has " + levels);
            }
            Integer previous = seen.putIfAbsent(items.get(i), i);
            if (previous != null) {
                throw new IllegalArgumentException("item " + items.get(i) + " appears twice (rows " + (previous + 1) + " and " + (i + 1) + ")");
            }
        }
        this.items = List.copyOf(items);
        this.sids = sids.clone();
    }

    public int size() {
        return sids.length;
    }

    public int levels() {
        return levels;
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

    /** The largest code used at any level, plus one: the smallest codebook size that fits the table. */
    public int minimumCodes() {
        int max = 0;
        for (Sid sid : sids) {
            for (int l = 0; l < levels; l++) {
                max = Math.max(max, sid.code(l));
            }
        }
        return max + 1;
    }
}
