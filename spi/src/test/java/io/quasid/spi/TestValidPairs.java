package io.quasid.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class TestValidPairs {
    private final NDManager m = NDManager.newBaseManager("PyTorch");

    @AfterEach
    void close() {
        m.close();
    }

    /** Five rows: one pair (item 5 -> item 7) in rows 0 and 1, then items 5 (again), 9 and 8. */
    private TrainingBatch batch() {
        NDArray z = m.create(new float[] {1, 0, 0, 1, 1, 1, -1, 0, 0, -1}, new Shape(5, 2));
        int[] items = {5, 7, 5, 9, 8};
        PairLayout layout = PairLayout.pairs(1, 3);
        return new TrainingBatch() {
            public NDArray z() {
                return z;
            }

            public NDArray inputs() {
                return z;
            }

            public NDArray codes() {
                return m.zeros(new Shape(5, 1), ai.djl.ndarray.types.DataType.INT32);
            }

            public int[] items() {
                return items;
            }

            public PairLayout layout() {
                return layout;
            }

            public TrainingProgress progress() {
                return new TrainingProgress(0, 1, 0, 1);
            }

            public CodebookShape shape() {
                return new CodebookShape(1, 2);
            }
        };
    }

    /** A mask that only answers as a matrix: it forbids every pair with row 4. */
    private static PairMask withoutRow4() {
        return new PairMask() {
            public String name() {
                return "test.no4";
            }

            public NDArray compute(TrainingBatch batch) {
                NDArray row4 = batch.z().getManager().create(new boolean[] {false, false, false, false, true});
                return row4.expandDims(1).logicalOr(row4.expandDims(0)).logicalNot();
            }
        };
    }

    private static int[][] everyPair(int n) {
        int[][] out = new int[2][n * n];
        for (int p = 0; p < n * n; p++) {
            out[0][p] = p / n;
            out[1][p] = p % n;
        }
        return out;
    }

    @Test
    void pairByPairTheAnswerIsTheMatrixEntryWithOrWithoutTheMatrix() {
        List<PairMask> masks = List.of(new Cvpm("test", true), withoutRow4());
        int[][] all = everyPair(5);
        boolean[] beforeTheMatrix = ValidPairs.of(batch(), masks).at(all[0], all[1]);
        ValidPairs valid = ValidPairs.of(batch(), masks);
        boolean[] matrix = valid.matrix().toBooleanArray();
        // CVPM removes the diagonal, the constructed pair (0, 1) and the same item (0, 2); the second mask every pair with row 4
        assertThat(matrix).containsExactly(
                false, false, false, true, false,
                false, false, true, true, false,
                false, true, false, true, false,
                true, true, true, false, false,
                false, false, false, false, false);
        assertThat(beforeTheMatrix).containsExactly(matrix);
        assertThat(valid.at(all[0], all[1])).containsExactly(matrix);
    }

    @Test
    void withoutMasksEveryPairOfTwoRowsIsValid() {
        int[][] all = everyPair(5);
        boolean[] valid = ValidPairs.of(batch(), List.of()).at(all[0], all[1]);
        for (int p = 0; p < valid.length; p++) {
            assertThat(valid[p]).isEqualTo(all[0][p] != all[1][p]);
        }
    }

    @Test
    void aMaskOfTheWrongShapeIsNamed() {
        PairMask wrong = new PairMask() {
            public String name() {
                return "test.wrong";
            }

            public NDArray compute(TrainingBatch batch) {
                return batch.z().getManager().ones(new Shape(3, 3)).toType(ai.djl.ndarray.types.DataType.BOOLEAN, false);
            }
        };
        assertThatThrownBy(() -> ValidPairs.of(batch(), List.of(wrong)).matrix())
                .hasMessageContaining("pair mask 'test.wrong' returned (3, 3) boolean, expected (5, 5) boolean");
    }
}
