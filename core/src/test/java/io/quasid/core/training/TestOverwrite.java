package io.quasid.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

final class TestOverwrite {
    @Test
    void copiesTheValuesSoTheyOutliveTheirSource() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray target = m.zeros(new Shape(2, 2));
            float[] values = {1, 2, 3, 4};
            Overwrite.with(target, values);
            values[0] = 9;
            for (int i = 0; i < 20; i++) {
                System.gc();
                m.create(new float[4096]).close(); // direct buffers come and go
            }
            assertThat(target.toFloatArray()).containsExactly(1, 2, 3, 4);
        }
    }

    @Test
    void refusesValuesOfAnotherSize() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            assertThatThrownBy(() -> Overwrite.with(m.zeros(new Shape(3)), new float[2])).hasMessageContaining("2 values for an array of shape (3)");
        }
    }
}
