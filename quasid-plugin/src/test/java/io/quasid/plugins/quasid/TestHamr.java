package io.quasid.plugins.quasid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.quasid.spi.LossTerm;
import io.quasid.spi.PairLayout;
import io.quasid.spi.SidCodes;
import io.quasid.spi.ValidPairs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class TestHamr {
    private NDManager m;

    @BeforeEach
    void open() {
        m = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void close() {
        m.close();
    }

    /**
     * Rows 0 and 1 share SID (0,0) and point the same way (D = 0); row 2, SID (0,1), is one level from
     * both; row 3, SID (1,1), is one level from row 2 and two from rows 0 and 1.
     */
    private Batch batch(float[] row2, int[] items) {
        return Batch.of(m, new float[][] {{1, 0}, {2, 0}, row2, {-1, 0}}, new int[][] {{0, 0}, {0, 0}, {0, 1}, {1, 1}}, items,
                PairLayout.items(4));
    }

    @Test
    void repelsAFullCollisionInsideItsMarginAndPartialOnesOutsideTheirsNot() {
        Batch b = batch(new float[] {0, 1}, new int[] {10, 11, 12, 13});
        LossTerm t = new Hamr(QuaSidConfig.DEFAULTS).compute(b, b.allPairs());
        // F = {(0,1)}: max(0, 0.8 - 0) = 0.8; P = {(0,2), (1,2), (2,3)} all at D = 1: max(0, 0.5 - 1) = 0
        assertThat(t.value().getFloat()).isCloseTo(0.2f * 0.8f, within(1e-6f));
        assertThat(t.diagnostics()).containsEntry("full_pairs", 1.0).containsEntry("partial_pairs", 3.0)
                .containsEntry("full_distance", 0.0).containsEntry("partial_distance", 1.0);
    }

    @Test
    void averagesEachTierOnItsOwn() {
        Batch b = batch(new float[] {0.8f, 0.6f}, new int[] {10, 11, 12, 13});
        LossTerm t = new Hamr(QuaSidConfig.DEFAULTS).compute(b, b.allPairs());
        // P: (0,2) and (1,2) at D = 0.2 -> 0.3 each; (2,3) at D = 1.8 -> 0; mean (0.3 + 0.3 + 0) / 3 = 0.2
        assertThat(t.value().getFloat()).isCloseTo(0.2f * 0.8f + 0.1f * 0.2f, within(1e-5f));
    }

    @Test
    void anEmptyTierAddsNothing() {
        Batch b = batch(new float[] {0, 1}, new int[] {10, 10, 12, 13});
        ValidPairs valid = b.cvpm();
        LossTerm t = new Hamr(QuaSidConfig.DEFAULTS).compute(b, valid);
        // rows 0 and 1 hold the same item: CVPM removes the only full collision
        assertThat(t.value().getFloat()).isZero();
        assertThat(t.diagnostics()).containsEntry("full_pairs", 0.0).doesNotContainKey("full_distance");
    }

    @Test
    void aWiderRadiusTakesFartherPairsIntoThePartialTier() {
        Batch b = batch(new float[] {0, 1}, new int[] {10, 11, 12, 13});
        QuaSidConfig r2 = new QuaSidConfig(2, 0.8, 0.5, 0.2, 0.1, 0.07, 0.1, true, true, true);
        assertThat(new Hamr(r2).compute(b, b.allPairs()).diagnostics()).containsEntry("partial_pairs", 5.0);
        QuaSidConfig r0 = new QuaSidConfig(0, 0.8, 0.5, 0.2, 0.1, 0.07, 0.1, true, true, true);
        assertThat(new Hamr(r0).compute(b, b.allPairs()).diagnostics()).containsEntry("partial_pairs", 0.0);
    }

    @Test
    void switchedOffItAddsNothingButStillReportsItsTiers() {
        Batch b = batch(new float[] {0, 1}, new int[] {10, 11, 12, 13});
        LossTerm t = new Hamr(QuaSidConfig.DEFAULTS.with(true, false, true)).compute(b, b.allPairs());
        assertThat(t.value().getFloat()).isZero();
        assertThat(t.diagnostics()).containsEntry("full_pairs", 1.0);
    }

    @Test
    void equalsTheDenseFormulaOverEveryPairOnARandomBatch() {
        java.util.Random random = new java.util.Random(11);
        int n = 40;
        float[][] z = new float[n][4];
        int[][] codes = new int[n][3];
        int[] items = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                z[i][j] = (float) random.nextGaussian();
            }
            for (int l = 0; l < 3; l++) {
                codes[i][l] = random.nextInt(3);
            }
            items[i] = random.nextInt(30);
        }
        Batch b = Batch.of(m, z, codes, items, PairLayout.items(n));
        ValidPairs valid = b.cvpm();
        boolean[] v = valid.matrix().toBooleanArray();
        double[] sum = new double[2];
        int[] count = new int[2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int h = 0;
                for (int l = 0; l < 3; l++) {
                    h += codes[i][l] != codes[j][l] ? 1 : 0;
                }
                if (!v[i * n + j] || h > 1) {
                    continue;
                }
                double dot = 0;
                double ni = 0;
                double nj = 0;
                for (int k = 0; k < 4; k++) {
                    dot += z[i][k] * z[j][k];
                    ni += z[i][k] * z[i][k];
                    nj += z[j][k] * z[j][k];
                }
                double d = 1 - dot / Math.sqrt(ni * nj);
                int tier = h == 0 ? 0 : 1;
                sum[tier] += Math.max(0, (tier == 0 ? 0.8 : 0.5) - d);
                count[tier]++;
            }
        }
        double expected = 0.2 * (count[0] == 0 ? 0 : sum[0] / count[0]) + 0.1 * (count[1] == 0 ? 0 : sum[1] / count[1]);
        Hamr hamr = new Hamr(QuaSidConfig.DEFAULTS);
        for (long limit : new long[] {Long.MAX_VALUE, 0}) { // the near pairs alone, then the dense N x N form
            LossTerm t = hamr.compute(b, valid, limit);
            assertThat((double) t.value().getFloat()).as("limit %d", limit).isCloseTo(expected, within(1e-5));
            assertThat(t.diagnostics().get("full_pairs")).isEqualTo(count[0] / 2.0);
            assertThat(t.diagnostics().get("partial_pairs")).isEqualTo(count[1] / 2.0);
        }
        assertThat(NearPairs.of(SidCodes.of(b.codes().toIntArray(), 3), 1, valid::at, 10)).as("over the limit").isNull();
    }

    @Test
    void itsGradientReachesTheEncoderAndNotTheCodebook() {
        // a linear "encoder" W and a codebook C; codes are the nearest codewords of z = x W, as in RQ-VAE
        NDArray w = m.create(new float[] {1, 0.1f, 0.2f, 1}, new Shape(2, 2));
        NDArray c = m.create(new float[] {0, 0, 5, 5}, new Shape(2, 2));
        w.setRequiresGradient(true);
        c.setRequiresGradient(true);
        NDArray x = m.create(new float[] {1, 0, 0.9f, 0.1f, 0, 1, 0.1f, 0.9f}, new Shape(4, 2));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray z = x.matMul(w);
            NDArray nearest = z.matMul(c.transpose()).mul(-2).add(c.square().sum(new int[] {1})).argMin(1);
            NDArray codes = nearest.expandDims(1).toType(ai.djl.ndarray.types.DataType.INT32, false);
            Batch b = new Batch(z, x, codes, new int[] {1, 2, 3, 4}, PairLayout.items(4), new io.quasid.spi.TrainingProgress(0, 1, 0, 1),
                    new io.quasid.spi.CodebookShape(1, 2));
            collector.backward(new Hamr(QuaSidConfig.DEFAULTS).compute(b, b.allPairs()).value());
        }
        assertThat(w.getGradient().abs().sum().getFloat()).isPositive();
        assertThat(c.getGradient().abs().sum().getFloat()).isZero();
    }
}
