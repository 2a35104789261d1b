package io.quasid.spi;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

final class TestScalars {
    /**
     * The gradient of {@code f} at {@code x = [1, 2]}, with the garbage collector run and freed native
     * memory handed out again (filled with 1e30) between forward and backward, as happens in training.
     */
    private static float[] gradientAfterCollection(UnaryOperator<NDArray> f) throws InterruptedException {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray x = manager.create(new float[] {1, 2});
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = f.apply(x).sum();
                List<ByteBuffer> reuse = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    System.gc();
                    Thread.sleep(20);
                    for (int i = 0; i < 2_000; i++) {
                        ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
                        b.putFloat(0, 1e30f);
                        reuse.add(b);
                    }
                }
                collector.backward(y);
            }
            return x.getGradient().toFloatArray();
        }
    }

    @Test
    void aConstantFactorSurvivesUntilBackward() throws InterruptedException {
        for (int run = 0; run < 10; run++) {
            assertThat(gradientAfterCollection(x -> Scalars.mul(x, 3))).containsExactly(3f, 3f);
        }
    }

    @Test
    void aConstantDivisorSurvivesUntilBackward() throws InterruptedException {
        for (int run = 0; run < 10; run++) {
            assertThat(gradientAfterCollection(x -> Scalars.div(x, 4))).containsExactly(0.25f, 0.25f);
        }
    }

    @Test
    void aConstantFloorSurvivesUntilBackward() throws InterruptedException {
        for (int run = 0; run < 10; run++) {
            // max(x, 1.5) at [1, 2]: the gradient flows only where x is above the floor
            assertThat(gradientAfterCollection(x -> Scalars.maximum(x, 1.5))).containsExactly(0f, 1f);
        }
    }

    @Test
    void anAddedOrSubtractedJavaNumberIsNotNeededByBackward() throws InterruptedException {
        // why add and sub may take a Java number (the allow-list of TestGradientPathConstants): their backward keeps no operand
        for (int run = 0; run < 10; run++) {
            assertThat(gradientAfterCollection(x -> x.add(3f).sub(1f).square())).containsExactly(6f, 8f);
        }
    }

    @Test
    void integerConstantsAreExact() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray ints = manager.create(new long[] {1});
            assertThat(Scalars.mul(ints, 123_456_789).toLongArray()).containsExactly(123_456_789L);
        }
    }

    @Test
    void theConstantHasTheTypeOfItsArray() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray ints = manager.create(new long[] {1, 2});
            assertThat(Scalars.of(ints, 3).getDataType()).isEqualTo(ints.getDataType());
            assertThat(Scalars.mul(ints, 3).toLongArray()).containsExactly(3L, 6L);
        }
    }
}
