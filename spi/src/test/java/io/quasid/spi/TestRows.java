package io.quasid.spi;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

final class TestRows {
    @Test
    void rowsAndTheirGradientAreAnIndexGetsWithRepeatedRowsSummed() {
        float[][] out = new float[2][];
        float[][] gradient = new float[2][];
        for (int k = 0; k < 2; k++) {
            try (NDManager m = NDManager.newBaseManager("PyTorch")) {
                NDArray table = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(3, 2));
                table.setRequiresGradient(true);
                NDArray index = m.create(new long[] {2, 0, 2, 2}, new Shape(2, 2));
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    NDArray rows = k == 0 ? Rows.of(table, index) : table.get(new NDIndex("{}", index));
                    out[k] = rows.toFloatArray();
                    assertThat(rows.getShape()).isEqualTo(new Shape(2, 2, 2));
                    c.backward(rows.mul(m.create(new float[] {1, 10, 100, 1000, 2, 20, 3, 30}, rows.getShape())).sum());
                }
                gradient[k] = table.getGradient().toFloatArray();
            }
        }
        assertThat(out[0]).containsExactly(5, 6, 1, 2, 5, 6, 5, 6).containsExactly(out[1]);
        // row 2 is read three times: 1 + 2 + 3 and 10 + 20 + 30; row 0 once; row 1 never
        assertThat(gradient[0]).containsExactly(100, 1000, 0, 0, 6, 60).containsExactly(gradient[1]);
    }
}
