package io.quasid.ranking.mahout;

import io.quasid.spi.Settings;
import io.quasid.spi.Sid;
import java.util.Collection;
import org.apache.mahout.cf.taste.common.NoSuchItemException;
import org.apache.mahout.cf.taste.common.Refreshable;
import org.apache.mahout.cf.taste.common.TasteException;
import org.apache.mahout.cf.taste.impl.common.FastIDSet;
import org.apache.mahout.cf.taste.model.DataModel;
import org.apache.mahout.cf.taste.similarity.ItemSimilarity;

/**
 * Blends a host's collaborative item similarity with SID-prefix similarity
 * {@code s(i, j) = sharedPrefix(i, j) / L}: {@code (1 - w) * host(i, j) + w * s(i, j)} for two items with
 * interactions (the host part counting as 0 where the host leaves it undefined), and {@code s(i, j)} alone
 * when either item has no interaction in the host's data model, where there is no collaborative evidence
 * to blend with. So the similarity is defined for every item the SID index knows, cold ones included:
 * Taste's item-based recommender needs that to score them.
 */
public final class SidItemSimilarity implements ItemSimilarity {
    private final ItemSimilarity host;
    private final DataModel model;
    private final SidIndex sids;
    private final double weight;
    /** Per SID-index row: whether nobody in the data model has the item (asked once, not in the inner loop). */
    private boolean[] coldByRow;

    /** {@code weight} is the SID share {@code w}, in [0, 1]. */
    public SidItemSimilarity(ItemSimilarity host, DataModel model, SidIndex sids, double weight) {
        this.host = host;
        this.model = model;
        this.sids = sids;
        this.weight = Settings.inRange("sid similarity weight", weight, 0, 1);
        this.coldByRow = coldRows();
    }

    private boolean[] coldRows() {
        boolean[] cold = new boolean[sids.size()];
        try {
            for (int r = 0; r < cold.length; r++) {
                cold[r] = coldInModel(sids.id(r));
            }
        } catch (TasteException e) {
            throw new IllegalStateException("the host's data model failed: " + e.getMessage(), e);
        }
        return cold;
    }

    @Override
    public double itemSimilarity(long a, long b) throws TasteException {
        return similarity(a, sids.sid(a), cold(a), b);
    }

    private double similarity(long a, Sid sidA, boolean coldA, long b) throws TasteException {
        double semantic = (double) sids.sharedPrefix(sidA, sids.sid(b)) / sids.levels();
        if (coldA || cold(b)) {
            return semantic;
        }
        double collaborative;
        try {
            collaborative = host.itemSimilarity(a, b);
        } catch (NoSuchItemException e) {
            collaborative = Double.NaN;
        }
        return blend(collaborative, semantic);
    }

    /** {@code (1 - w) * host + w * s}, the host's part 0 where it leaves the pair undefined (NaN). */
    private double blend(double collaborative, double semantic) {
        return (1 - weight) * (Double.isNaN(collaborative) ? 0 : collaborative) + weight * semantic;
    }

    /** True if nobody in the host's data model has interacted with {@code item}. */
    private boolean cold(long item) throws TasteException {
        int row = sids.row(item);
        return row >= 0 ? coldByRow[row] : coldInModel(item);
    }

    private boolean coldInModel(long item) throws TasteException {
        try {
            return model.getNumUsersWithPreferenceFor(item) == 0;
        } catch (NoSuchItemException e) {
            return true;
        }
    }

    /**
     * {@code itemSimilarity(a, b)} for every {@code b} of {@code others}, asking the host once for all of them
     * (a host answers a batch faster: Taste's recommender asks for every candidate against one history);
     * pair by pair where the host does not know one of them.
     */
    @Override
    public double[] itemSimilarities(long a, long[] others) throws TasteException {
        Sid sidA = sids.sid(a);
        boolean coldA = cold(a);
        double[] out = new double[others.length];
        double[] collaborative = null;
        if (!coldA) {
            try {
                collaborative = host.itemSimilarities(a, others);
            } catch (NoSuchItemException e) {
                collaborative = null; // some item unknown to the host: pair by pair below
            }
        }
        for (int k = 0; k < others.length; k++) {
            if (collaborative == null || cold(others[k])) {
                out[k] = similarity(a, sidA, coldA, others[k]);
            } else {
                out[k] = blend(collaborative[k], (double) sids.sharedPrefix(sidA, sids.sid(others[k])) / sids.levels());
            }
        }
        return out;
    }

    /** The host's similar items plus every item sharing at least the first SID code. */
    @Override
    public long[] allSimilarItemIDs(long item) throws TasteException {
        FastIDSet all = new FastIDSet();
        try {
            all.addAll(host.allSimilarItemIDs(item));
        } catch (NoSuchItemException e) {
            // a cold item: only its SID neighbours
        }
        for (long other : sids.sharingPrefix(item, 1)) {
            if (other != item) {
                all.add(other);
            }
        }
        return all.toArray();
    }

    @Override
    public void refresh(Collection<Refreshable> alreadyRefreshed) {
        host.refresh(alreadyRefreshed);
        coldByRow = coldRows();
    }
}
