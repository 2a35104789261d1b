package io.quasid.rqvae;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class TestCodebooks {
    @Test
    void picksTheNearestCodewordByEuclideanDistance() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray codebook = m.create(new float[] {0, 0, 10, 0, 0, 10}, new Shape(3, 2));
            NDArray r = m.create(new float[] {1, 1, 9, 2, 2, 7, 5.1f, 4.9f}, new Shape(4, 2));
            // (5.1, 4.9): 49.82 to (0,0), 48.02 to (10,0), 50.02 to (0,10)
            assertThat(Codebooks.nearest(r, codebook).toLongArray()).containsExactly(0, 1, 2, 1);
        }
    }

    @Test
    void quantizesTheResidualLevelByLevel() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray level1 = m.create(new float[] {0, 0, 4, 4}, new Shape(2, 2));
            NDArray level2 = m.create(new float[] {1, 0, 0, 1, -1, 0}, new Shape(3, 2));
            NDArray z = m.create(new float[] {5, 4.2f, 0.1f, -0.9f, -1, 0}, new Shape(3, 2));
            // (5, 4.2) -> (4, 4), residual (1, 0.2) -> (1, 0): codes 1, 0
            // (0.1, -0.9) -> (0, 0), residual (0.1, -0.9) is 1.62, 3.62, 2.02 from the level-2 codewords: codes 0, 0
            // (-1, 0) -> (0, 0), residual (-1, 0) -> (-1, 0): codes 0, 2
            assertThat(Codebooks.assign(z, new NDArray[] {level1, level2}).toIntArray()).containsExactly(1, 0, 0, 0, 0, 2);
        }
    }

    @Test
    void kMeansFindsWellSeparatedClusters() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            float[] v = new float[300 * 2];
            Random random = new Random(3);
            for (int i = 0; i < 300; i++) {
                v[2 * i] = (i % 3) * 10 + (float) random.nextGaussian() * 0.1f;
                v[2 * i + 1] = (float) random.nextGaussian() * 0.1f;
            }
            NDArray x = m.create(v, new Shape(300, 2));
            float[] centres = KMeans.fit(x, 3, 20, new Random(1), m).toFloatArray();
            java.util.List<Long> xs = new java.util.ArrayList<>();
            for (int c = 0; c < 3; c++) {
                xs.add(Math.round(centres[2 * c] / 10.0));
                assertThat(Math.abs(centres[2 * c + 1])).isLessThan(0.1f);
            }
            assertThat(xs).containsExactlyInAnyOrder(0L, 1L, 2L);
        }
    }
}
