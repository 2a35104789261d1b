package io.quasid.ranking.mahout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.mahout.cf.taste.impl.common.FastByIDMap;
import org.apache.mahout.cf.taste.impl.common.FastIDSet;
import org.apache.mahout.cf.taste.impl.model.GenericBooleanPrefDataModel;
import org.apache.mahout.cf.taste.impl.similarity.GenericItemSimilarity;
import org.apache.mahout.cf.taste.impl.similarity.LogLikelihoodSimilarity;
import org.apache.mahout.cf.taste.model.DataModel;
import org.junit.jupiter.api.Test;

/** The flat store gives what Taste's GenericItemSimilarity over the same log-likelihood values gives, pair for pair. */
final class TestCoOccurrenceSimilarity {
    private static final int ITEMS = 60;

    /** 80 users with 2-7 random items each; items 55-59 nobody has. */
    private static DataModel model() {
        Random random = new Random(7);
        FastByIDMap<FastIDSet> preferences = new FastByIDMap<>();
        for (int u = 0; u < 80; u++) {
            FastIDSet items = new FastIDSet();
            for (int k = 2 + random.nextInt(6); k > 0; k--) {
                items.add(random.nextInt(55));
            }
            preferences.put(u, items);
        }
        return new GenericBooleanPrefDataModel(preferences);
    }

    /** Taste's own store of the same pairs: what the host used before the flat one. */
    private static GenericItemSimilarity taste(DataModel model) throws Exception {
        LogLikelihoodSimilarity llr = new LogLikelihoodSimilarity(model);
        List<GenericItemSimilarity.ItemItemSimilarity> values = new ArrayList<>();
        for (int a = 0; a < ITEMS; a++) {
            for (int b = a + 1; b < ITEMS; b++) {
                if (shared(model, a, b)) {
                    values.add(new GenericItemSimilarity.ItemItemSimilarity(a, b, llr.itemSimilarity(a, b)));
                }
            }
        }
        return new GenericItemSimilarity(values);
    }

    private static boolean shared(DataModel model, long a, long b) throws Exception {
        var users = model.getUserIDs();
        while (users.hasNext()) {
            FastIDSet items = model.getItemIDsFromUser(users.nextLong());
            if (items.contains(a) && items.contains(b)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void everyPairHasTastesValueAndAPairNoUserSharesHasNone() throws Exception {
        DataModel model = model();
        GenericItemSimilarity expected = taste(model);
        CoOccurrenceSimilarity flat = CoOccurrenceSimilarity.of(model, ITEMS);
        int defined = 0;
        for (int a = 0; a < ITEMS; a++) {
            for (int b = 0; b < ITEMS; b++) {
                if (a == b) {
                    continue;
                }
                double want = expected.itemSimilarity(a, b);
                assertThat(Double.valueOf(flat.itemSimilarity(a, b))).as(a + "," + b).isEqualTo(Double.valueOf(want));
                defined += Double.isNaN(want) ? 0 : 1;
            }
            assertThat(flat.allSimilarItemIDs(a)).as("item " + a).containsExactlyInAnyOrder(expected.allSimilarItemIDs(a));
        }
        assertThat(defined).as("the case has pairs").isGreaterThan(200);
        assertThat(flat.itemSimilarity(57, 3)).isNaN();
        assertThat(flat.itemSimilarities(0, new long[] {1, 2, 59})).containsExactly(expected.itemSimilarities(0, new long[] {1, 2, 59}));
    }

    @Test
    void aHistoryAskedAgainAndAgainAndThenAnotherGetsEveryPairsValue() throws Exception {
        CoOccurrenceSimilarity flat = CoOccurrenceSimilarity.of(model(), ITEMS);
        Random random = new Random(3);
        long[] history = {4, 17, 33, 59}; // 59: nobody has it
        for (int round = 0; round < 40; round++) {
            if (round % 8 == 7) { // a new history, longer or shorter, some items repeated: the rows of the last are reset
                history = random.longs(1 + random.nextInt(9), 0, ITEMS).toArray();
            }
            for (long candidate = -1; candidate <= ITEMS; candidate++) { // -1 and ITEMS: ids the store does not know
                double[] batch = flat.itemSimilarities(candidate, history);
                for (int k = 0; k < history.length; k++) {
                    assertThat(Double.valueOf(batch[k])).as(candidate + "," + history[k]).isEqualTo(Double.valueOf(flat.itemSimilarity(candidate, history[k])));
                }
            }
        }
    }
}
