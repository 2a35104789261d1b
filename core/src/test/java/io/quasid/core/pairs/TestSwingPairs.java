package io.quasid.core.pairs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.quasid.core.data.Catalogue;
import io.quasid.core.data.Dataset;
import io.quasid.core.data.Item;
import io.quasid.core.data.LeaveOneOutSplit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

final class TestSwingPairs {
    private static LeaveOneOutSplit split(int[]... sequences) {
        List<Item> items = IntStream.range(0, 10).mapToObj(i -> new Item("i" + i, "", "", List.of(), Double.NaN)).toList();
        List<String> users = IntStream.range(0, sequences.length).mapToObj(u -> "u" + u).toList();
        return new LeaveOneOutSplit(new Dataset("toy", new Catalogue(items), users, sequences));
    }

    private static List<String> pairs(SwingPairs p) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < p.size(); k++) {
            out.add(p.trigger(k) + "->" + p.target(k));
        }
        return out;
    }

    @Test
    void scoresItemsThatTwoUsersShareAgainstTheOverlapOfThoseUsers() {
        // training parts: u0 {0, 1, 2} (its last two items 8, 9 are held out), u1 {0, 1}, u2 {1, 2}
        SwingPairs p = SwingPairs.of(split(new int[] {0, 1, 2, 8, 9}, new int[] {0, 1}, new int[] {1, 2}), SwingConfig.DEFAULTS);
        assertThat(pairs(p)).containsExactly("0->1", "1->0", "1->2", "2->1");
        double w0 = Math.pow(3 + 5, -0.3);
        double w1 = Math.pow(2 + 5, -0.3);
        // the user pair (u0, u1) shares {0, 1}: 2 ordered pairs x w0 w1 / (alpha + 2)
        assertThat((double) p.score(0)).isCloseTo(2 * w0 * w1 / 3, within(1e-6));
    }

    @Test
    void neverUsesHeldOutItems() {
        // 8 and 9 are validation and test targets of u0 and u1: no pair may involve them
        SwingPairs p = SwingPairs.of(split(new int[] {0, 1, 8, 9}, new int[] {0, 1, 8, 9}), SwingConfig.DEFAULTS);
        assertThat(pairs(p)).containsExactly("0->1", "1->0");
    }

    @Test
    void keepsTheTopKNeighboursOfEachItem() {
        // training parts {0, 1, 2}, {0, 1, 2}, {0, 1}: 0 and 1 are tied by three user pairs, 0 and 2 by one
        SwingPairs p = SwingPairs.of(split(new int[] {0, 1, 2, 8, 9}, new int[] {0, 1, 2, 8, 9}, new int[] {0, 1}),
                new SwingConfig(1, 5, 0.3, 1));
        assertThat(pairs(p)).containsExactly("0->1", "1->0", "2->0");
    }

    @Test
    void failsWhenNoUsersShareTwoItems() {
        assertThatThrownBy(() -> SwingPairs.of(split(new int[] {0}, new int[] {1}), SwingConfig.DEFAULTS))
                .hasMessageContaining("Swing found no item pairs");
    }

    @Test
    void validatesItsSettings() {
        assertThatThrownBy(() -> new SwingConfig(1, 5, 0.3, 0)).hasMessageContaining("top_k = 0 is out of range");
    }
}
