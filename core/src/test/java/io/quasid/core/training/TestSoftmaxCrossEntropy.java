package io.quasid.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class TestSoftmaxCrossEntropy {
    /** The loss and the gradients of h and w, {value, dh..., dw...}, computed one way or the other. */
    private static double[][] lossAndGradients(float[] h, float[] w, long[] targets, int d, boolean closedForm) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray hv = m.create(h, new Shape(targets.length, d));
            NDArray wv = m.create(w, new Shape(w.length / d, d));
            hv.setRequiresGradient(true);
            wv.setRequiresGradient(true);
            double value;
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                NDArray t = m.create(targets);
                if (closedForm) {
                    SoftmaxCrossEntropy.Loss loss = SoftmaxCrossEntropy.loss(hv, wv, t);
                    value = loss.value();
                    c.backward(loss.surrogate());
                } else { // as autograd records the textbook form
                    NDArray loss = hv.matMul(wv.transpose()).logSoftmax(1).gather(t.expandDims(1), 1).mean().neg();
                    value = loss.getFloat();
                    c.backward(loss);
                }
            }
            return new double[][] {{value}, toDouble(hv.getGradient().toFloatArray()), toDouble(wv.getGradient().toFloatArray())};
        }
    }

    private static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static void assertSameLossAndGradients(float[] h, float[] w, long[] targets, int d) {
        double[][] closed = lossAndGradients(h, w, targets, d, true);
        double[][] recorded = lossAndGradients(h, w, targets, d, false);
        assertThat(closed[0][0]).as("loss").isCloseTo(recorded[0][0], within(1e-5 * Math.max(1, Math.abs(recorded[0][0]))));
        for (int k = 1; k <= 2; k++) {
            for (int i = 0; i < recorded[k].length; i++) {
                assertThat(closed[k][i]).as(k == 1 ? "dh[%d]" : "dw[%d]", i).isCloseTo(recorded[k][i], within(1e-6));
            }
        }
    }

    private static float[] normal(Random random, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * scale);
        }
        return v;
    }

    @Test
    void theClosedFormGivesTheLossAndGradientsAutogradRecordsForTheTextbookForm() {
        Random random = new Random(7);
        int d = 6;
        int rows = 2 * SoftmaxCrossEntropy.BLOCK + 37; // three blocks, the last one short
        long[] targets = random.longs(rows, 0, 41).toArray();
        assertSameLossAndGradients(normal(random, rows * d, 1), normal(random, 41 * d, 1), targets, d);
    }

    @Test
    void aTargetFarBelowTheBestItemHasItsExactLossThoughItsProbabilityUnderflows() {
        // row 0's target scores 200 below the best item: its probability is 0 in float, its loss 200 (+ log 2 for the tie at 0)
        float[] h = {1, 0, 0, 1};
        float[] w = {100, 0, -100, 0, 0, 1};
        long[] targets = {1, 2};
        double[][] closed = lossAndGradients(h, w, targets, 2, true);
        double second = -Math.log(Math.exp(1) / (2 + Math.exp(1)));
        assertThat(closed[0][0]).isCloseTo((200 + second) / 2, within(1e-4));
        assertSameLossAndGradients(h, w, targets, 2);
    }
}
