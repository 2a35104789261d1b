package io.quasid.ranking.mahout;

import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.core.ranking.RankingMetrics;
import io.quasid.core.sid.SidTable;
import io.quasid.spi.Sid;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.apache.mahout.cf.taste.common.TasteException;
import org.apache.mahout.cf.taste.impl.common.FastByIDMap;
import org.apache.mahout.cf.taste.impl.common.FastIDSet;
import org.apache.mahout.cf.taste.impl.model.GenericBooleanPrefDataModel;
import org.apache.mahout.cf.taste.impl.recommender.GenericBooleanPrefItemBasedRecommender;
import org.apache.mahout.cf.taste.impl.recommender.PreferredItemsNeighborhoodCandidateItemsStrategy;
import org.apache.mahout.cf.taste.model.DataModel;
import org.apache.mahout.cf.taste.recommender.IDRescorer;
import org.apache.mahout.cf.taste.recommender.ItemBasedRecommender;
import org.apache.mahout.cf.taste.recommender.RecommendedItem;
import org.apache.mahout.cf.taste.similarity.ItemSimilarity;

/**
 * A Mahout Taste host on the leave-one-out split: a boolean-preference data model of every user's items
 * before the test target (items removed from training left out), Taste's log-likelihood item similarity
 * precomputed for the item pairs that co-occur in some user ({@link CoOccurrenceSimilarity}), and Taste's
 * {@link GenericBooleanPrefItemBasedRecommender}, plain or with the SID adapters. Taste user and item ids
 * are the split's user and catalogue indices. A target missing from the top-10 list counts as ranked
 * past every cut-off.
 */
public final class TasteEvaluation {
    /** Length of each recommended list: the largest cut-off. */
    static final int LIST = RankingMetrics.CUTOFFS.stream().mapToInt(Integer::intValue).max().orElseThrow();

    private final LeaveOneOutSplit split;
    private final DataModel model;
    private final ItemSimilarity similarity;

    public TasteEvaluation(LeaveOneOutSplit split) {
        this.split = split;
        FastByIDMap<FastIDSet> preferences = new FastByIDMap<>();
        for (int u = 0; u < split.dataset().userCount(); u++) {
            int[] known = known(u);
            if (known.length > 0) {
                FastIDSet items = new FastIDSet(known.length);
                for (int i : known) {
                    items.add(i);
                }
                preferences.put(u, items);
            }
        }
        this.model = new GenericBooleanPrefDataModel(preferences);
        try {
            this.similarity = CoOccurrenceSimilarity.of(model, split.dataset().catalogue().size());
        } catch (TasteException e) {
            throw new IllegalStateException("Taste could not compute item similarities: " + e.getMessage(), e);
        }
    }

    /** User {@code u}'s items the host knows: everything before the test target (all, for users not evaluated), less removed items. */
    private int[] known(int u) {
        return Arrays.stream(split.beforeTest(u)).filter(i -> !split.removedFromTraining(i)).distinct().toArray();
    }

    /** The host's data model. */
    public DataModel model() {
        return model;
    }

    /**
     * The host's item-based recommender: plain Taste when {@code sids} is null, else with
     * {@link SidItemSimilarity} and {@link SidCandidateItemsStrategy} (the host's own strategy inside).
     */
    public ItemBasedRecommender recommender(SidIndex sids, TasteConfig config) {
        var neighbourhood = new PreferredItemsNeighborhoodCandidateItemsStrategy();
        if (sids == null) {
            return new GenericBooleanPrefItemBasedRecommender(model, similarity, neighbourhood, neighbourhood);
        }
        return new GenericBooleanPrefItemBasedRecommender(model, new SidItemSimilarity(similarity, model, sids, config.sidWeight()),
                new SidCandidateItemsStrategy(neighbourhood, sids, config.candidatePrefix()), neighbourhood);
    }

    /** How a host did on the test targets. */
    public record Result(RankingMetrics all, RankingMetrics selected, int selectedItemsRecommended) {}

    /**
     * Recommends a top-10 list to every evaluated user and scores the test target: over all of them, over
     * those whose target passes {@code selected}, and how many distinct {@code selected} items appear in
     * any list. {@code sids} null evaluates plain Taste.
     */
    public Result evaluate(SidIndex sids, TasteConfig config, IntPredicate selected) {
        ItemBasedRecommender recommender = recommender(sids, config);
        int users = split.dataset().userCount();
        long[][] lists = new long[users][];
        IntStream.range(0, users).parallel().filter(split::evaluated).forEach(u -> lists[u] = recommend(recommender, u, sids, config));
        RankingMetrics all = new RankingMetrics();
        RankingMetrics chosen = new RankingMetrics();
        FastIDSet recommended = new FastIDSet();
        for (int u = 0; u < users; u++) {
            if (lists[u] == null) {
                continue;
            }
            int target = split.testTarget(u);
            long rank = LIST;
            for (int r = 0; r < lists[u].length; r++) {
                if (lists[u][r] == target) {
                    rank = r;
                }
                if (selected.test((int) lists[u][r])) {
                    recommended.add(lists[u][r]);
                }
            }
            all.add(rank);
            if (selected.test(target)) {
                chosen.add(rank);
            }
        }
        return new Result(all, chosen, recommended.size());
    }

    private long[] recommend(ItemBasedRecommender recommender, int u, SidIndex sids, TasteConfig config) {
        try {
            IDRescorer rescorer = sids == null || config.spreadPenalty() == 0 ? null
                    : new SidSpreadRescorer(sids, model.getItemIDsFromUser(u).toArray(), config.spreadPrefix(), config.spreadPenalty());
            return recommender.recommend(u, LIST, rescorer).stream().mapToLong(RecommendedItem::getItemID).toArray();
        } catch (org.apache.mahout.cf.taste.common.NoSuchUserException e) {
            return new long[0]; // every item of the user was removed from training
        } catch (TasteException e) {
            throw new IllegalStateException("Taste failed to recommend for user " + split.dataset().user(u) + ": " + e.getMessage(), e);
        }
    }

    /** An SID index over a table: row {@code i} is Taste item {@code i}. */
    public static SidIndex index(SidTable table) {
        Map<Long, Sid> sids = new HashMap<>();
        for (int i = 0; i < table.size(); i++) {
            sids.put((long) i, table.sid(i));
        }
        return new SidIndex(sids);
    }
}
