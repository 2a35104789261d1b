package io.quasid.plugins.adasid;

import io.quasid.spi.Embeddings;
import java.util.Arrays;
import java.util.Random;

/**
 * SeAR's gate (METHOD.md §4), fixed before training from the catalogue: the vectors whose cosines it
 * compares (content embeddings less the catalogue mean, or as they are) and the threshold {@code eta[o]}
 * per overlap depth {@code o = 1..L}: the {@code q[o]} quantile of the cosines of {@code threshold_pairs}
 * random distinct items (seeded), or the fixed {@code eta} of the config.
 */
final class SemanticGate {
    private final float[] mean;
    private final double[] eta;

    private SemanticGate(float[] mean, double[] eta) {
        this.mean = mean;
        this.eta = eta;
    }

    static SemanticGate of(AdaSidConfig config, Embeddings catalogue, int levels, long seed) {
        int d = catalogue.dimension();
        float[] mean = new float[d];
        if (config.similarity().equals(AdaSidConfig.CENTRED)) {
            double[] sum = new double[d];
            for (int i = 0; i < catalogue.rows(); i++) {
                for (int k = 0; k < d; k++) {
                    sum[k] += catalogue.get(i, k);
                }
            }
            for (int k = 0; k < d; k++) {
                mean[k] = (float) (sum[k] / catalogue.rows());
            }
        }
        double[] eta = new double[levels + 1];
        double[] sample = config.quantileThresholds() ? pairSimilarities(catalogue, mean, config.thresholdPairs(), seed) : null;
        for (int o = 1; o <= levels; o++) {
            eta[o] = sample == null ? config.byDepth(o, levels) : quantile(sample, config.byDepth(o, levels));
        }
        return new SemanticGate(mean, eta);
    }

    /** The threshold at overlap depth {@code o} (1..L). */
    double eta(int o) {
        return eta[o];
    }

    /** Rows of {@code values} ({@code rows x d}, row-major) less the gate's mean, scaled to unit length (a zero row stays zero). */
    float[] unitVectors(float[] values, int rows) {
        return unitVectors(values, rows, mean);
    }

    private static float[] unitVectors(float[] values, int rows, float[] mean) {
        int d = mean.length;
        float[] out = new float[values.length];
        for (int i = 0; i < rows; i++) {
            double norm = 0;
            for (int k = 0; k < d; k++) {
                float v = values[i * d + k] - mean[k];
                out[i * d + k] = v;
                norm += (double) v * v;
            }
            float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
            for (int k = 0; k < d; k++) {
                out[i * d + k] *= scale;
            }
        }
        return out;
    }

    /** The cosine of rows {@code i} and {@code j} of unit vectors of dimension {@code d}. */
    static double cosine(float[] unit, int d, int i, int j) {
        double dot = 0;
        for (int k = 0; k < d; k++) {
            dot += unit[i * d + k] * unit[j * d + k];
        }
        return dot;
    }

    /** The cosines of {@code count} item pairs {@code (i, j)}, {@code i != j}, drawn uniformly with {@code seed}, sorted. */
    private static double[] pairSimilarities(Embeddings catalogue, float[] mean, int count, long seed) {
        int n = catalogue.rows();
        if (n < 2) {
            throw new IllegalArgumentException("SeAR's quantile thresholds need at least 2 catalogue items, got " + n);
        }
        int d = catalogue.dimension();
        float[] unit = unitVectors(catalogue.rows(0, n), n, mean);
        Random random = new Random(seed ^ 0x5EA55EA5L);
        double[] out = new double[count];
        for (int p = 0; p < count; p++) {
            int i = random.nextInt(n);
            int j = random.nextInt(n - 1);
            out[p] = cosine(unit, d, i, j < i ? j : j + 1);
        }
        Arrays.sort(out);
        return out;
    }

    /** The {@code q} quantile (nearest rank) of sorted values. */
    static double quantile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }
}
