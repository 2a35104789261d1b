package io.quasid.plugins.quasid;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.quasid.spi.Cvpm;
import io.quasid.spi.PairLayout;
import org.junit.jupiter.api.Test;

final class TestCvpm {
    private static boolean[] mask(QuaSidConfig config, int[] items, PairLayout layout) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            float[][] z = new float[items.length][];
            int[][] codes = new int[items.length][];
            for (int i = 0; i < items.length; i++) {
                z[i] = new float[] {1, i};
                codes[i] = new int[] {0};
            }
            Batch b = Batch.of(m, z, codes, items, layout);
            Cvpm cvpm = new Cvpm(QuaSidPlugin.NAME, config.mask());
            boolean[] matrix = cvpm.compute(b).toBooleanArray();
            int n = items.length;
            int[] first = new int[n * n];
            int[] second = new int[n * n];
            for (int p = 0; p < n * n; p++) {
                first[p] = p / n;
                second[p] = p % n;
            }
            assertThat(cvpm.at(b, first, second)).as("the mask decided pair by pair on the host").containsExactly(matrix);
            return matrix;
        }
    }

    @Test
    void excludesTheDiagonalTheSameItemAndConstructedPairs() {
        // two pairs: (5 -> 7) in rows 0 and 2, (5 -> 8) in rows 1 and 3; rows 0 and 1 hold the same item
        boolean[] m = mask(QuaSidConfig.DEFAULTS, new int[] {5, 5, 7, 8}, PairLayout.pairs(2));
        assertThat(m).containsExactly(
                false, false, false, true,
                false, false, true, false,
                false, true, false, true,
                true, false, true, false);
    }

    @Test
    void itemRowsAfterThePairsAreBenignOnlyWithTheSameItem() {
        // one pair (5 -> 7) in rows 0 and 1, then items 9 and 5 in rows 2 and 3
        boolean[] m = mask(QuaSidConfig.DEFAULTS, new int[] {5, 7, 9, 5}, PairLayout.pairs(1, 2));
        assertThat(m).containsExactly(
                false, false, true, false,
                false, false, true, true,
                true, true, false, true,
                false, true, true, false);
    }

    @Test
    void inAPlainBatchOnlyTheSameItemIsBenign() {
        boolean[] m = mask(QuaSidConfig.DEFAULTS, new int[] {1, 2, 1}, PairLayout.items(3));
        assertThat(m).containsExactly(false, true, false, true, false, true, false, true, false);
    }

    @Test
    void switchedOffOnlyTheDiagonalIsExcluded() {
        boolean[] m = mask(QuaSidConfig.DEFAULTS.with(false, true, true), new int[] {5, 5, 7, 8}, PairLayout.pairs(2));
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertThat(m[i * 4 + j]).isEqualTo(i != j);
            }
        }
    }
}
