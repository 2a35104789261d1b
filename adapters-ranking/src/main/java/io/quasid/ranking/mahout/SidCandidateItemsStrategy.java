package io.quasid.ranking.mahout;

import io.quasid.spi.Settings;
import java.util.Collection;
import org.apache.mahout.cf.taste.common.Refreshable;
import org.apache.mahout.cf.taste.common.TasteException;
import org.apache.mahout.cf.taste.impl.common.FastIDSet;
import org.apache.mahout.cf.taste.model.DataModel;
import org.apache.mahout.cf.taste.model.PreferenceArray;
import org.apache.mahout.cf.taste.recommender.CandidateItemsStrategy;

/**
 * The host's candidates plus every item that shares the first {@code prefixLength} SID codes with an
 * item of the user's history, including items nobody has interacted with yet.
 */
public final class SidCandidateItemsStrategy implements CandidateItemsStrategy {
    private final CandidateItemsStrategy host;
    private final SidIndex sids;
    private final int prefixLength;

    public SidCandidateItemsStrategy(CandidateItemsStrategy host, SidIndex sids, int prefixLength) {
        this.host = host;
        this.sids = sids;
        this.prefixLength = Settings.inRange("prefix length", prefixLength, 1, sids.levels());
    }

    @Override
    public FastIDSet getCandidateItems(long userID, PreferenceArray history, DataModel dataModel, boolean includeKnownItems)
            throws TasteException {
        FastIDSet candidates = host.getCandidateItems(userID, history, dataModel, includeKnownItems);
        for (long item : history.getIDs()) {
            for (long similar : sids.sharingPrefix(item, prefixLength)) {
                candidates.add(similar);
            }
        }
        if (!includeKnownItems) {
            candidates.removeAll(history.getIDs());
        }
        return candidates;
    }

    @Override
    public void refresh(Collection<Refreshable> alreadyRefreshed) {
        host.refresh(alreadyRefreshed);
    }
}
