package io.quasid.ranking.mahout;

import io.quasid.spi.Settings;
import java.util.HashMap;
import java.util.Map;
import org.apache.mahout.cf.taste.recommender.IDRescorer;

/**
 * Spreads one user's list across SID prefixes: an item's score is divided by
 * {@code 1 + penalty * n}, where {@code n} is how many of the user's history items share its first
 * {@code prefixLength} codes, so areas the user already knows give way to neighbouring ones. With
 * {@code penalty = 0} it changes nothing.
 */
public final class SidSpreadRescorer implements IDRescorer {
    private final SidIndex sids;
    private final int prefixLength;
    private final double penalty;
    private final Map<Object, Integer> historyPerPrefix = new HashMap<>();

    public SidSpreadRescorer(SidIndex sids, long[] history, int prefixLength, double penalty) {
        this.sids = sids;
        this.prefixLength = Settings.inRange("prefix length", prefixLength, 1, sids.levels());
        this.penalty = Settings.inRange("spread penalty", penalty, 0, 1000);
        for (long item : history) {
            Object key = sids.prefixKey(item, prefixLength);
            if (key != null) {
                historyPerPrefix.merge(key, 1, Integer::sum);
            }
        }
    }

    @Override
    public double rescore(long id, double originalScore) {
        Object key = sids.prefixKey(id, prefixLength);
        int n = key == null ? 0 : historyPerPrefix.getOrDefault(key, 0);
        return originalScore / (1 + penalty * n);
    }

    @Override
    public boolean isFiltered(long id) {
        return false;
    }
}
