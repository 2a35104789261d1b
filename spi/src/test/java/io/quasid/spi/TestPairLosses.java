package io.quasid.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

final class TestPairLosses {
    @Test
    void distancesAreOneMinusTheDotProductOfEachPairsRowsWithTheirGradient() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray e = m.create(new float[] {1, 0, 0, 1, 0.6f, 0.8f}, new Shape(3, 2));
            e.setRequiresGradient(true);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                NDArray d = PairLosses.distances(e, new int[] {0, 2, 1}, new int[] {2, 1, 1});
                assertThat(d.toFloatArray()).containsExactly(new float[] {0.4f, 0.2f, 0}, within(1e-6f));
                c.backward(d.sum());
            }
            // dD/de_i = -e_j for each pair (i, j): row 0 gets -e_2; row 1 gets -e_2 (as second of (2, 1)) and -2 e_1
            // (both sides of (1, 1)); row 2 gets -e_0 and -e_1
            assertThat(e.getGradient().toFloatArray()).containsExactly(new float[] {-0.6f, -0.8f, -0.6f, -2.8f, -1, -1}, within(1e-6f));
        }
    }

    @Test
    void validAtReadsOnlyTheAskedEntriesOfTheMask() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray valid = m.create(new boolean[] {false, true, true, false, false, true}, new Shape(2, 3));
            assertThat(PairLosses.validAt(valid, new int[] {0, 1, 1, 0}, new int[] {1, 0, 2, 0})).containsExactly(true, false, true, false);
            assertThat(PairLosses.validAt(valid, new int[0], new int[0])).isEmpty();
        }
    }
}
