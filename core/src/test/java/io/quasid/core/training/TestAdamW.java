package io.quasid.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class TestAdamW {
    /** One step on {@code loss = 3 p0 + 4 p1} (gradient (3, 4), norm 5); returns the first moment. */
    private static float[] firstMomentAfterOneStep(double clip, double[] norm) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray p = m.create(new float[] {1, 1});
            p.setRequiresGradient(true);
            AdamW adam = new AdamW(Map.of("p", p), 1e-3, 0, clip);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(p.mul(m.create(new float[] {3, 4})).sum());
            }
            norm[0] = adam.step();
            assertThat(p.getGradient().toFloatArray()).containsExactly(0, 0);
            return adam.firstMoments().get("p").toFloatArray();
        }
    }

    @Test
    void clipsTheGlobalGradientNormBeforeTheMomentsSeeIt() {
        double[] norm = new double[1];
        float[] clipped = firstMomentAfterOneStep(1, norm);
        assertThat(norm[0]).isCloseTo(5, within(1e-6));
        // (1 - beta1) x gradient scaled to norm 1: 0.1 x (0.6, 0.8)
        assertThat(clipped[0]).isCloseTo(0.06f, within(1e-6f));
        assertThat(clipped[1]).isCloseTo(0.08f, within(1e-6f));
        float[] unclipped = firstMomentAfterOneStep(0, norm);
        assertThat(unclipped[1]).isCloseTo(0.4f, within(1e-6f));
    }

    @Test
    void threeStepsWithWeightDecayMatchTorchOptimAdamWComputedByHand() {
        // loss = sum(g * p) with g = (0.5, -2, 3) each step: torch.optim.AdamW(lr=0.01, weight_decay=0.1), no clipping
        double lr = 0.01;
        double wd = 0.1;
        double[] g = {0.5, -2, 3};
        double[] expected = {1, -1, 2};
        double[] mean = new double[3];
        double[] variance = new double[3];
        for (int t = 1; t <= 3; t++) {
            for (int i = 0; i < 3; i++) {
                expected[i] *= 1 - lr * wd;
                mean[i] = 0.9 * mean[i] + 0.1 * g[i];
                variance[i] = 0.999 * variance[i] + 0.001 * g[i] * g[i];
                double denominator = Math.sqrt(variance[i]) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8;
                expected[i] -= lr / (1 - Math.pow(0.9, t)) * mean[i] / denominator;
            }
        }
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray p = m.create(new float[] {1, -1, 2});
            p.setRequiresGradient(true);
            AdamW adam = new AdamW(Map.of("p", p), lr, wd, 0);
            for (int t = 1; t <= 3; t++) {
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    c.backward(p.mul(m.create(new float[] {0.5f, -2, 3})).sum());
                }
                adam.step();
                assertThat(p.getGradient().toFloatArray()).as("gradient zeroed after step %d", t).containsExactly(0, 0, 0);
            }
            float[] actual = p.toFloatArray();
            for (int i = 0; i < 3; i++) {
                assertThat((double) actual[i]).as("p[%d]", i).isCloseTo(expected[i], within(1e-6));
            }
            assertThat(adam.steps()).isEqualTo(3);
        }
    }

    @Test
    void aNonFiniteGradientChangesNothingAndIsClearedForTheNextStep() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray p = m.create(new float[] {1, 1});
            p.setRequiresGradient(true);
            AdamW adam = new AdamW(Map.of("p", p), 1e-3, 0, 0);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(p.mul(m.create(new float[] {Float.NaN, 4})).sum());
            }
            assertThat(adam.step()).isNaN();
            assertThat(p.toFloatArray()).containsExactly(1, 1);
            assertThat(p.getGradient().toFloatArray()).containsExactly(0, 0);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(p.mul(m.create(new float[] {3, 4})).sum());
            }
            assertThat(adam.step()).isCloseTo(5, within(1e-6));
            assertThat(adam.steps()).isEqualTo(1);
        }
    }

    @Test
    void aStepAtAGivenRateMovesAsAnOptimizerBuiltWithThatRate() {
        // first step of Adam moves each coordinate by the rate times the gradient's sign (m / sqrt(v) = +-1)
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray p = m.create(new float[] {1, 1});
            p.setRequiresGradient(true);
            AdamW adam = new AdamW(Map.of("p", p), 1e-3, 0, 0);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(p.mul(m.create(new float[] {3, -4})).sum());
            }
            adam.step(0.25);
            float[] moved = p.toFloatArray();
            assertThat(moved[0]).isCloseTo(0.75f, within(1e-5f));
            assertThat(moved[1]).isCloseTo(1.25f, within(1e-5f));
        }
    }
}
