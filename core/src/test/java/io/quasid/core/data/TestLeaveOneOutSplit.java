package io.quasid.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

final class TestLeaveOneOutSplit {
    private static Dataset dataset(int[]... sequences) {
        List<Item> items = IntStream.range(0, 10).mapToObj(i -> new Item("i" + i, "t", "", List.of(), i)).toList();
        List<String> users = IntStream.range(0, sequences.length).mapToObj(u -> "u" + u).toList();
        return new Dataset("toy", new Catalogue(items), users, sequences);
    }

    @Test
    void holdsOutTheLastItemForTestAndTheOneBeforeForValidation() {
        LeaveOneOutSplit split = new LeaveOneOutSplit(dataset(new int[] {1, 2, 3, 4, 5}));
        assertThat(split.train(0)).containsExactly(1, 2, 3);
        assertThat(split.validationTarget(0)).isEqualTo(4);
        assertThat(split.testTarget(0)).isEqualTo(5);
        assertThat(split.validationHistory(0, 20)).containsExactly(1, 2, 3);
        assertThat(split.testHistory(0, 20)).containsExactly(1, 2, 3, 4);
    }

    @Test
    void capsHistoriesToTheMostRecentItems() {
        LeaveOneOutSplit split = new LeaveOneOutSplit(dataset(new int[] {1, 2, 3, 4, 5, 6}));
        assertThat(split.testHistory(0, 2)).containsExactly(4, 5);
        assertThat(split.validationHistory(0, 2)).containsExactly(3, 4);
    }

    @Test
    void keepsShortSequencesInTrainingWithoutTargets() {
        LeaveOneOutSplit split = new LeaveOneOutSplit(dataset(new int[] {7, 8}, new int[] {1, 2, 3}));
        assertThat(split.evaluated(0)).isFalse();
        assertThat(split.train(0)).containsExactly(7, 8);
        assertThat(split.evaluatedUsers()).isEqualTo(1);
        assertThatThrownBy(() -> split.testTarget(0)).hasMessageContaining("fewer than the 3");
    }

    @Test
    void countsPopularityFromTrainingOnly() {
        LeaveOneOutSplit split = new LeaveOneOutSplit(dataset(new int[] {1, 1, 2, 9}, new int[] {1, 3, 9}));
        int[] pop = split.popularity();
        assertThat(pop[1]).isEqualTo(3);
        assertThat(pop[2]).isZero();
        assertThat(pop[9]).isZero();
        assertThat(split.trainInteractions()).isEqualTo(3);
    }

    @Test
    void coldItemsAreTheLeastPopularShareWithTiesAndUnseenItems() {
        // popularity: item1 = 3, item2 = 1, every other item 0 (8 items)
        LeaveOneOutSplit split = new LeaveOneOutSplit(dataset(new int[] {1, 1, 2, 9, 9}, new int[] {1, 5, 5}));
        assertThat(split.coldItems(0.1)).containsExactly(0, 3, 4, 5, 6, 7, 8, 9);
        assertThat(split.coldItems(0.9)).containsExactly(0, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void itemsRemovedFromTrainingLeaveTheTargetsAndHistories() {
        LeaveOneOutSplit split = new LeaveOneOutSplit(dataset(new int[] {1, 2, 3, 2, 5})).withoutTraining(new int[] {2});
        assertThat(split.train(0)).containsExactly(1, 3);
        assertThat(split.popularity()[2]).isZero();
        assertThat(split.testHistory(0, 20)).containsExactly(1, 2, 3, 2);
        assertThat(split.removedFromTraining(2)).isTrue();
        assertThat(split.coldItems(0.1)).contains(2);
    }

    @Test
    void exposesPricesByCatalogueIndex() {
        LeaveOneOutSplit split = new LeaveOneOutSplit(dataset(new int[] {1, 2, 3}));
        assertThat(split.prices()[4]).isEqualTo(4.0);
    }
}
