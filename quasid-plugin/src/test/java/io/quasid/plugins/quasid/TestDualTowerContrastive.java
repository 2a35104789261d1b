package io.quasid.plugins.quasid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.quasid.spi.LossTerm;
import io.quasid.spi.PairLayout;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class TestDualTowerContrastive {
    private static final QuaSidConfig TAU_ONE = new QuaSidConfig(1, 0.8, 0.5, 0.2, 0.1, 1.0, 1.0, true, true, true);

    record Result(double value, Map<String, Double> diagnostics) {}

    /** Triggers (1,0) and (0,1) with targets pointing the same ways: logits [[1, 0], [0, 1]] at tau = 1. */
    private static Result loss(QuaSidConfig config, int[] items) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Batch b = Batch.of(m, new float[][] {{1, 0}, {0, 1}, {2, 0}, {0, 3}}, new int[][] {{0}, {1}, {2}, {3}}, items,
                    PairLayout.pairs(2));
            LossTerm t = new DualTowerContrastive(config).compute(b, b.allPairs());
            return new Result(t.value().getFloat(), t.diagnostics());
        }
    }

    @Test
    void isSymmetricInBatchInfoNce() {
        Result t = loss(TAU_ONE, new int[] {1, 2, 3, 4});
        // each row and each direction: -log(e / (e + 1)) = log(1 + 1/e)
        double expected = Math.log(1 + Math.exp(-1));
        assertThat(t.value()).isCloseTo(expected, within(1e-6));
        assertThat(t.diagnostics()).containsEntry("top1_accuracy", 1.0);
    }

    @Test
    void itemRowsAfterThePairsTakeNoPart() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Batch b = Batch.of(m, new float[][] {{1, 0}, {0, 1}, {2, 0}, {0, 3}, {1, 1}, {5, -1}},
                    new int[][] {{0}, {1}, {2}, {3}, {4}, {5}}, new int[] {1, 2, 3, 4, 5, 6}, PairLayout.pairs(2, 2));
            LossTerm t = new DualTowerContrastive(TAU_ONE).compute(b, b.allPairs());
            assertThat((double) t.value().getFloat()).isCloseTo(Math.log(1 + Math.exp(-1)), within(1e-6));
        }
    }

    @Test
    void weighsByLambdaAndSharpensWithTemperature() {
        QuaSidConfig config = new QuaSidConfig(1, 0.8, 0.5, 0.2, 0.1, 0.5, 0.1, true, true, true);
        double expected = 0.1 * Math.log(1 + Math.exp(-2));
        assertThat(loss(config, new int[] {1, 2, 3, 4}).value()).isCloseTo(expected, within(1e-6));
    }

    @Test
    void leavesSameItemCandidatesOutOfTheDenominator() {
        // both targets are item 9: each anchor's only negative is its partner's item, so nothing is left to contrast
        assertThat(loss(TAU_ONE, new int[] {1, 2, 9, 9}).value()).isZero();
    }

    @Test
    void falseNegativesFollowTheThreeRules() {
        // pairs: (1 -> 2), (1 -> 3) share their trigger; (4 -> 1) has the first anchor's own item as candidate
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            boolean[] f = io.quasid.spi.PairLosses.falseNegatives(m, new int[] {1, 1, 4, 2, 3, 1}, 3).toBooleanArray();
            assertThat(f).containsExactly(
                    false, true, true,
                    true, false, true,
                    false, false, false);
        }
    }

    @Test
    void needsPairBatchesOnlyWhenSwitchedOn() {
        assertThat(new DualTowerContrastive(QuaSidConfig.DEFAULTS).requiresPairs()).isTrue();
        assertThat(new DualTowerContrastive(QuaSidConfig.DEFAULTS.with(true, true, false)).requiresPairs()).isFalse();
    }
}
