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
            Engine.getInstance().setRandomSeed(7);
            float[] out = InvertedDropout.apply(m.ones(new Shape(200_000)), 0.2).toFloatArray();
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
            Engine.getInstance().setRandomSeed(3);
            NDArray x = m.ones(new Shape(1000));
            x.setRequiresGradient(true);
            float[] out;
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                NDArray y = InvertedDropout.apply(x, 0.5);
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
    void theSameSeedDrawsTheSameMask() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Engine.getInstance().setRandomSeed(11);
            float[] first = InvertedDropout.apply(m.ones(new Shape(500)), 0.3).toFloatArray();
            Engine.getInstance().setRandomSeed(11);
            assertThat(InvertedDropout.apply(m.ones(new Shape(500)), 0.3).toFloatArray()).containsExactly(first);
        }
    }

    @Test
    void rateZeroIsTheIdentityAndARateOfOneOrMoreIsRefused() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.create(new float[] {1, 2, 3});
            assertThat(InvertedDropout.apply(x, 0)).isSameAs(x);
            assertThatThrownBy(() -> InvertedDropout.apply(x, 1)).hasMessage("dropout rate = 1.0 is out of range: allowed [0, 1)");
        }
    }
}
