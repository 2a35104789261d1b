package io.quasid.ranking.mahout;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.core.data.Catalogue;
import io.quasid.core.data.Dataset;
import io.quasid.core.data.Item;
import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.core.sid.SidTable;
import io.quasid.spi.Sid;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Five users over items 0-5; item 5, user 0's test target, is removed from training and shares its first SID code with item 0. */
final class TestTasteEvaluation {
    private static final int[][] CODES = {{0, 0}, {1, 0}, {2, 0}, {3, 0}, {4, 0}, {0, 1}};

    private static LeaveOneOutSplit split() {
        List<Item> items = IntStream.range(0, CODES.length).mapToObj(i -> new Item("i" + i, "", "", List.of(), 1)).toList();
        int[][] sequences = {{0, 1, 5}, {0, 1, 2}, {1, 2, 3}, {2, 3, 4}, {0, 1, 3}};
        Dataset data = new Dataset("tiny", new Catalogue(items), IntStream.range(0, sequences.length).mapToObj(u -> "u" + u).toList(), sequences);
        return new LeaveOneOutSplit(data).withoutTraining(new int[] {5});
    }

    @Test
    void theHostDoesNotKnowAnItemRemovedFromTraining() throws Exception {
        TasteEvaluation host = new TasteEvaluation(split());
        assertThat(host.model().getItemIDsFromUser(0).toArray()).containsExactlyInAnyOrder(0L, 1L);
        assertThat(host.model().getNumUsersWithPreferenceFor(5)).isZero();
    }

    @Test
    void plainTasteNeverRecommendsTheRemovedItem() {
        LeaveOneOutSplit split = split();
        TasteEvaluation.Result plain = new TasteEvaluation(split).evaluate(null, TasteConfig.DEFAULTS, split::removedFromTraining);
        assertThat(plain.selected().users()).isEqualTo(1);
        assertThat(plain.selected().values().get("recall@10")).isZero();
        assertThat(plain.selectedItemsRecommended()).isZero();
    }

    @Test
    void withTheSidAdaptersTheRemovedItemReachesTheList() {
        LeaveOneOutSplit split = split();
        TasteEvaluation.Result sid = new TasteEvaluation(split).evaluate(TasteEvaluation.index(SidTable.fitted(IntStream.range(0, CODES.length).mapToObj(i -> "i" + i).toList(), java.util.Arrays.stream(CODES).map(Sid::of).toArray(Sid[]::new))), TasteConfig.DEFAULTS,
                split::removedFromTraining);
        assertThat(sid.selected().values().get("recall@10")).isEqualTo(1.0);
        assertThat(sid.selectedItemsRecommended()).isEqualTo(1);
        assertThat(sid.all().users()).isEqualTo(5);
    }
}
