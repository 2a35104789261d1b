package io.quasid.ranking;

import java.util.Random;

/** Initial weights drawn from a seeded generator, shared by this module's networks. */
public final class RandomWeights {
    private RandomWeights() {}

    /** {@code n} values from N(0, sd^2). */
    public static float[] normal(Random random, int n, double sd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * sd);
        }
        return v;
    }

    /** {@code n} values uniform in {@code [-bound, bound)}. */
    public static float[] uniform(Random random, int n, double bound) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return v;
    }
}
