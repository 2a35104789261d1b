package io.quasid.ranking.mahout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.quasid.spi.Sid;
import java.util.List;
import java.util.Map;
import org.apache.mahout.cf.taste.common.TasteException;
import org.apache.mahout.cf.taste.impl.common.FastByIDMap;
import org.apache.mahout.cf.taste.impl.common.FastIDSet;
import org.apache.mahout.cf.taste.impl.model.GenericBooleanPrefDataModel;
import org.apache.mahout.cf.taste.impl.recommender.GenericBooleanPrefItemBasedRecommender;
import org.apache.mahout.cf.taste.impl.recommender.PreferredItemsNeighborhoodCandidateItemsStrategy;
import org.apache.mahout.cf.taste.impl.similarity.TanimotoCoefficientSimilarity;
import org.apache.mahout.cf.taste.model.DataModel;
import org.apache.mahout.cf.taste.recommender.RecommendedItem;
import org.apache.mahout.cf.taste.similarity.ItemSimilarity;
import org.junit.jupiter.api.Test;

/** A hand-made Taste model: users 1-3 over items 1-3; item 4 is cold but shares its SID prefix with item 1. */
final class TestSidTasteAdapters {
    private static final SidIndex SIDS = new SidIndex(Map.of(
            1L, Sid.of(0, 0, 0), 2L, Sid.of(1, 0, 0), 3L, Sid.of(2, 0, 0), 4L, Sid.of(0, 0, 1), 5L, Sid.of(3, 3, 3)));

    private static DataModel model() {
        FastByIDMap<FastIDSet> prefs = new FastByIDMap<>();
        prefs.put(1, set(1, 2));
        prefs.put(2, set(1, 2, 3));
        prefs.put(3, set(2, 3));
        return new GenericBooleanPrefDataModel(prefs);
    }

    private static FastIDSet set(long... ids) {
        FastIDSet s = new FastIDSet();
        for (long id : ids) {
            s.add(id);
        }
        return s;
    }

    private static List<Long> ids(List<RecommendedItem> items) {
        return items.stream().map(RecommendedItem::getItemID).toList();
    }

    @Test
    void plainTasteCannotRecommendAColdItem() throws TasteException {
        DataModel model = model();
        var plain = new GenericBooleanPrefItemBasedRecommender(model, new TanimotoCoefficientSimilarity(model));
        assertThat(ids(plain.recommend(1, 5))).containsExactly(3L);
    }

    @Test
    void withTheSidAdaptersTheColdNeighbourOfTheHistoryIsRecommended() throws TasteException {
        DataModel model = model();
        ItemSimilarity similarity = new SidItemSimilarity(new TanimotoCoefficientSimilarity(model), model, SIDS, 0.5);
        var host = new GenericBooleanPrefItemBasedRecommender(model, similarity,
                new SidCandidateItemsStrategy(new PreferredItemsNeighborhoodCandidateItemsStrategy(), SIDS, 2),
                new PreferredItemsNeighborhoodCandidateItemsStrategy());
        List<RecommendedItem> list = host.recommend(1, 5);
        assertThat(ids(list)).containsExactlyInAnyOrder(3L, 4L);
        // item 4 is cold, so its similarity is the SID part alone: 2/3 from item 1 (two shared codes), 0 from item 2
        assertThat(list.stream().filter(r -> r.getItemID() == 4).findFirst().orElseThrow().getValue()).isCloseTo(2 / 3f, within(1e-6f));
    }

    @Test
    void betweenItemsWithInteractionsTheSimilarityIsTheWeightedBlend() throws TasteException {
        DataModel model = model();
        ItemSimilarity tanimoto = new TanimotoCoefficientSimilarity(model);
        assertThat(new SidItemSimilarity(tanimoto, model, SIDS, 0).itemSimilarity(1, 3)).isEqualTo(tanimoto.itemSimilarity(1, 3));
        // items 1 and 2: Tanimoto 2/3 (users {1,2} and {1,2,3}), no shared code
        assertThat(new SidItemSimilarity(tanimoto, model, SIDS, 0.25).itemSimilarity(1, 2)).isCloseTo(0.75 * 2 / 3.0, within(1e-12));
    }

    @Test
    void withAColdItemTheSimilarityIsTheSidShareAlone() throws TasteException {
        DataModel model = model();
        ItemSimilarity tanimoto = new TanimotoCoefficientSimilarity(model);
        assertThat(new SidItemSimilarity(tanimoto, model, SIDS, 0.1).itemSimilarity(1, 4)).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(new SidItemSimilarity(tanimoto, model, SIDS, 0.5).itemSimilarity(4, 5)).isZero();
        assertThat(new SidItemSimilarity(tanimoto, model, SIDS, 0.5).allSimilarItemIDs(4)).contains(1L);
    }

    @Test
    void theRescorerDividesScoresInPrefixesTheHistoryAlreadyFills() {
        SidSpreadRescorer r = new SidSpreadRescorer(SIDS, new long[] {1, 4, 2}, 1, 0.5);
        // prefix (0): items 1 and 4 of the history; prefix (3): none
        assertThat(r.rescore(1, 1.0)).isCloseTo(1 / (1 + 0.5 * 2), within(1e-12));
        assertThat(r.rescore(5, 1.0)).isEqualTo(1.0);
        assertThat(new SidSpreadRescorer(SIDS, new long[] {1, 4}, 1, 0).rescore(1, 0.7)).isEqualTo(0.7);
    }

    @Test
    void anIndexGroupsItemsByEveryPrefixLength() {
        assertThat(SIDS.sharingPrefix(1, 1)).containsExactly(1, 4);
        assertThat(SIDS.sharingPrefix(1, 3)).containsExactly(1);
        assertThat(SIDS.sharedPrefix(1, 4)).isEqualTo(2);
        assertThat(SIDS.sharedPrefix(1, 99)).isZero();
    }
}
