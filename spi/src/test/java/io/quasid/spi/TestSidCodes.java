package io.quasid.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class TestSidCodes {
    /** Rows 0 and 1 collide; row 2 differs from them at level 3; row 3 shares only level 1 with them. */
    private static final SidCodes CODES = SidCodes.of(new Sid[] {Sid.of(0, 1, 2), Sid.of(0, 1, 2), Sid.of(0, 1, 3), Sid.of(0, 2, 0)});

    @Test
    void theDifferingLevelsAreABitMaskWhoseBitCountIsTheHammingDistance() {
        assertThat(CODES.differing(0, 1)).isZero();
        assertThat(CODES.differing(0, 2)).isEqualTo(0b100);
        assertThat(CODES.differing(2, 3)).isEqualTo(0b110);
        assertThat(Integer.bitCount(CODES.differing(2, 3))).isEqualTo(Sid.of(0, 1, 3).hamming(Sid.of(0, 2, 0)));
    }

    @Test
    void aPrefixIsTheKeyWithTheLaterLevelsLeftOut() {
        assertThat(CODES.afterPrefix(1)).isEqualTo(0b110);
        assertThat(CODES.afterPrefix(3)).isZero();
        assertThat(CODES.key(0, CODES.afterPrefix(2))).isEqualTo(CODES.key(2, CODES.afterPrefix(2))).isNotEqualTo(CODES.key(3, CODES.afterPrefix(2)));
        assertThat(CODES.key(0, 0)).isEqualTo(CODES.key(1, 0)).isNotEqualTo(CODES.key(2, 0));
    }

    @Test
    void bucketsGroupRowsByKeyInRowOrder() {
        assertThat(CODES.buckets(0)).containsExactly(new int[] {0, 1}, new int[] {2}, new int[] {3});
        assertThat(CODES.buckets(CODES.afterPrefix(1))).containsExactly(new int[] {0, 1, 2, 3});
        assertThat(CODES.bucketIds(CODES.afterPrefix(2))).containsExactly(0, 0, 0, 1);
    }

    @Test
    void usageCountsTheRowsOnEachCodePerLevel() {
        int[][] usage = CODES.usage(4);
        assertThat(usage[0]).containsExactly(4, 0, 0, 0);
        assertThat(usage[1]).containsExactly(0, 3, 1, 0);
        assertThat(usage[2]).containsExactly(1, 0, 2, 1);
        assertThatThrownBy(() -> CODES.usage(3)).hasMessageContaining("row 2 has code 3 at level 3, allowed 0..2");
    }

    @Test
    void nearPairsAreEveryPairWithinTheRadiusEachOnceAsBruteForceFindsThem() {
        Random random = new Random(7);
        for (int trial = 0; trial < 30; trial++) {
            int levels = 1 + random.nextInt(4);
            int n = 2 + random.nextInt(40);
            int[] codes = new int[n * levels];
            for (int k = 0; k < codes.length; k++) {
                codes[k] = random.nextInt(3);
            }
            SidCodes table = SidCodes.of(codes, levels);
            for (int radius = 0; radius <= levels; radius++) {
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    for (int j = i + 1; j < n; j++) {
                        if (Integer.bitCount(table.differing(i, j)) <= radius) {
                            expected.add(i + "," + j + "," + table.differing(i, j));
                        }
                    }
                }
                List<String> found = new ArrayList<>();
                SidCodes.NearPairs near = table.near(radius);
                near.forEach((i, j, differing) -> found.add(i + "," + j + "," + differing));
                assertThat(found).as("L = %d, n = %d, R = %d", levels, n, radius).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(near.pairsInBuckets()).isGreaterThanOrEqualTo(expected.size());
            }
        }
    }

    @Test
    void rowsMustHaveOneNumberOfLevels() {
        assertThatThrownBy(() -> SidCodes.of(new int[] {1, 2, 3}, 2)).hasMessageContaining("3 codes do not make rows of 2 levels");
        assertThatThrownBy(() -> SidCodes.of(new Sid[] {Sid.of(1, 2), Sid.of(1)})).hasMessageContaining("row 1 has 1 levels, row 0's has 2");
    }
}
