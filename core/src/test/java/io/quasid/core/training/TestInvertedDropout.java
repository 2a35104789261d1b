package io.quasid.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

final class TestInvertedDropout {
    @Test
    void keepsAShareOfOneMinusTheRateScaledByItsInverseAndZeroesTheRest() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            float[] out = new InvertedDropout(7).apply(m.ones(new Shape(200_000)), 0.2).toFloatArray();
            int kept = 0;
            for (float v : out) {
                assertThat(v == 0f || Math.abs(v - 1.25f) < 1e-6f).as("value %s", v).isTrue();
                kept += v == 0f ? 0 : 1;
            }
            // binomial(200,000, 0.8): standard deviation about 179
            assertThat(kept / 200_000.0).isCloseTo(0.8, within(0.005));
        }
    }

    @Test
    void theGradientPassesThroughTheKeptElementsOnly() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.ones(new Shape(1000));
            x.setRequiresGradient(true);
            float[] out;
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                NDArray y = new InvertedDropout(3).apply(x, 0.5);
                out = y.toFloatArray();
                c.backward(y.sum());
            }
            float[] gradient = x.getGradient().toFloatArray();
            for (int i = 0; i < out.length; i++) {
                assertThat(gradient[i]).as("element %d", i).isEqualTo(out[i]); // x = 1: the output is the mask times 2
            }
        }
    }

    @Test
    void theSameSeedDrawsTheSameMasksInTheSameOrderAndEachMaskIsNew() {
        int n = 3 * InvertedDropout.BLOCK + 17; // blocks drawn in parallel
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            InvertedDropout first = new InvertedDropout(11);
            InvertedDropout again = new InvertedDropout(11);
            float[] one = first.apply(m.ones(new Shape(n)), 0.3).toFloatArray();
            float[] two = first.apply(m.ones(new Shape(n)), 0.3).toFloatArray();
            assertThat(again.apply(m.ones(new Shape(n)), 0.3).toFloatArray()).containsExactly(one);
            assertThat(again.apply(m.ones(new Shape(n)), 0.3).toFloatArray()).containsExactly(two);
            assertThat(two).isNotEqualTo(one);
            assertThat(new InvertedDropout(12).apply(m.ones(new Shape(n)), 0.3).toFloatArray()).isNotEqualTo(one);
            int block0Equal = 0; // blocks of one mask are independent draws, not copies
            for (int i = 0; i < InvertedDropout.BLOCK; i++) {
                block0Equal += one[i] == one[InvertedDropout.BLOCK + i] ? 1 : 0;
            }
            assertThat(block0Equal / (double) InvertedDropout.BLOCK).isCloseTo(0.7 * 0.7 + 0.3 * 0.3, within(0.01));
        }
    }

    @Test
    void rateZeroIsTheIdentityAndARateOfOneOrMoreIsRefused() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.create(new float[] {1, 2, 3});
            InvertedDropout dropout = new InvertedDropout(1);
            assertThat(dropout.apply(x, 0)).isSameAs(x);
            assertThatThrownBy(() -> dropout.apply(x, 1)).hasMessage("dropout rate = 1.0 is out of range: allowed [0, 1)");
        }
    }
}
