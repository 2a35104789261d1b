package io.quasid.plugins.adasid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.quasid.spi.CodebookShape;
import io.quasid.spi.PairLayout;
import io.quasid.spi.Cvpm;
import io.quasid.spi.TrainingProgress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * AdaSID's gradients with respect to the encoder outputs equal central finite differences of its value,
 * in both the pair-list and the all-pairs form, even when the garbage collector runs and freed native
 * memory is handed out again between forward and backward (as in training).
 */
final class TestAdaSidGradients {
    /** Every candidate kept (SeAR off), loads weighted, no schedule. */
    private static final AdaSidConfig CONFIG = AdaSidConfig.DEFAULTS.toBuilder().relaxation(false).schedule(false).build();
    private static final int ROWS = 6;
    private static final int DIM = 3;
    /** Every row shares the first code; rows 0-1 and 2-3 are full collisions, 4 and 5 share the first code only. */
    private static final int[] CODES = {0, 0, 0, 0, 0, 1, 0, 1, 0, 2, 0, 3};

    private static float[] encoderOutputs() {
        Random random = new Random(7);
        float[] z = new float[ROWS * DIM];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextGaussian();
        }
        return z;
    }

    private static float value(float[] z, long denseAbove) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            return collision(m, z, false, denseAbove).getFloat();
        }
    }

    private static NDArray collision(NDManager m, float[] values, boolean gradient, long denseAbove) {
        NDArray z = m.create(values, new Shape(ROWS, DIM));
        z.setRequiresGradient(gradient);
        TestAdaSid.Batch b = batch(m, z);
        return TestAdaSid.prepared(CONFIG, b).compute(b, TestAdaSid.cvpm(b), denseAbove).value();
    }

    private static TestAdaSid.Batch batch(NDManager m, NDArray z) {
        NDArray codes = m.create(CODES, new Shape(ROWS, 2)).toType(DataType.INT32, false);
        return new TestAdaSid.Batch(z, z.stopGradient(), codes, new int[] {0, 1, 2, 3, 4, 5}, PairLayout.items(ROWS),
                new TrainingProgress(0, 10, 0, 1), new CodebookShape(2, 4));
    }

    /** The gradient of the collision term, with three rounds of garbage collection and reuse of freed memory before backward. */
    private static float[] gradientAfterCollection(float[] values, long denseAbove) throws InterruptedException {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray z;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                z = m.create(values, new Shape(ROWS, DIM));
                z.setRequiresGradient(true);
                TestAdaSid.Batch b = batch(m, z);
                NDArray loss = TestAdaSid.prepared(CONFIG, b).compute(b, TestAdaSid.cvpm(b), denseAbove).value();
                List<ByteBuffer> reuse = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    System.gc();
                    Thread.sleep(20);
                    for (int i = 0; i < 2_000; i++) {
                        ByteBuffer buffer = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
                        buffer.putFloat(0, 1e30f);
                        reuse.add(buffer);
                    }
                }
                collector.backward(loss);
            }
            return z.getGradient().toFloatArray();
        }
    }

    private static float[] finiteDifferences(float[] z, long denseAbove) {
        float h = 1e-3f;
        float[] gradient = new float[z.length];
        for (int k = 0; k < z.length; k++) {
            float[] up = z.clone();
            float[] down = z.clone();
            up[k] += h;
            down[k] -= h;
            gradient[k] = (value(up, denseAbove) - value(down, denseAbove)) / (2 * h);
        }
        return gradient;
    }

    private static void assertGradientsMatch(long denseAbove) throws InterruptedException {
        float[] z = encoderOutputs();
        float[] expected = finiteDifferences(z, denseAbove);
        assertThat(value(z, denseAbove)).as("the batch violates some margins").isPositive();
        for (int run = 0; run < 10; run++) {
            float[] actual = gradientAfterCollection(z, denseAbove);
            for (int k = 0; k < z.length; k++) {
                assertThat(actual[k]).as("run %d, d/dz[%d]", run, k).isCloseTo(expected[k], within(2e-3f));
            }
        }
    }

    @Test
    void theAllPairsFormsGradientMatchesFiniteDifferencesAfterGarbageCollection() throws InterruptedException {
        assertGradientsMatch(-1);
    }

    @Test
    void thePairListFormsGradientMatchesFiniteDifferencesAfterGarbageCollection() throws InterruptedException {
        assertGradientsMatch(Long.MAX_VALUE);
    }
}
