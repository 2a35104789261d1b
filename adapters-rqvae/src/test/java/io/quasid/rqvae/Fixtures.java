package io.quasid.rqvae;

import io.quasid.spi.Embeddings;
import io.quasid.spi.Sid;
import io.quasid.spi.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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

    /**
     * What {@code threads} threads get when each assigns a different part of {@code items} (rows {@code t},
     * {@code t + threads}, ... of thread {@code t}'s turn, then all of them) {@code rounds} times at once, gathered in
     * the rows' order: each round's SIDs, to compare with one thread's.
     */
    static List<Sid[]> assignedConcurrently(Tokenizer tokenizer, Embeddings items, int threads, int rounds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Sid[]>> futures = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                for (int t = 0; t < threads; t++) {
                    int from = items.rows() * t / threads;
                    int to = items.rows() * (t + 1) / threads;
                    futures.add(pool.submit(() -> tokenizer.assign(Embeddings.of(items.rows(from, to), to - from, items.dimension()))));
                }
            }
            List<Sid[]> out = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                List<Sid> round = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    round.addAll(List.of(futures.get(r * threads + t).get(60, TimeUnit.SECONDS)));
                }
                out.add(round.toArray(Sid[]::new));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
