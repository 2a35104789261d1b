package io.quasid.rqvae;

import io.quasid.spi.Embeddings;
import java.util.List;
import java.util.Random;

/** Small deterministic inputs: items scattered around a few cluster centres. */
final class Fixtures {
    private Fixtures() {}

    /** {@code n} items of {@code d} dimensions around {@code clusters} random centres. */
    static Embeddings clustered(int n, int d, int clusters, long seed) {
        Random random = new Random(seed);
        float[][] centres = new float[clusters][d];
        for (float[] c : centres) {
            for (int j = 0; j < d; j++) {
                c[j] = (float) random.nextGaussian();
            }
        }
        float[] v = new float[n * d];
        for (int i = 0; i < n; i++) {
            float[] c = centres[i % clusters];
            for (int j = 0; j < d; j++) {
                v[i * d + j] = c[j] + 0.3f * (float) random.nextGaussian();
            }
        }
        return Embeddings.of(v, n, d);
    }

    /** A small RQ-VAE: L = 2, K = 16, latent 8, one hidden layer of 32, 128-row batches (pair steps: 16 pairs + 96 catalogue rows), checkpoints off. */
    static RqVaeConfig small(int epochs) {
        return RqVaeConfig.DEFAULTS.toBuilder().levels(2).codes(16).latent(8).hidden(List.of(32)).batchRows(128).itemRows(96)
                .epochs(epochs).kmeansSample(512).checkpointEvery(0).build();
    }
}
