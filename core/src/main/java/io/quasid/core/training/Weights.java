package io.quasid.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.quasid.core.io.InputFileException;
import io.quasid.core.io.Npy;
import io.quasid.spi.Embeddings;
import java.nio.file.Path;
import java.util.Map;

/** Named arrays stored as one {@code <name>.npy} each (vectors as one-row matrices). */
public final class Weights {
    private Weights() {}

    public static void write(Path dir, Map<String, NDArray> arrays) {
        arrays.forEach((name, a) -> {
            Shape s = a.getShape();
            int rows = s.dimension() == 1 ? 1 : (int) s.get(0);
            int cols = (int) (s.size() / rows);
            Embeddings values;
            try {
                values = Embeddings.of(a.toFloatArray(), rows, cols);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("cannot save '" + name + "': " + e.getMessage(), e);
            }
            Npy.write(dir.resolve(name + ".npy"), values);
        });
    }

    /** Overwrites each array with the values stored for its name; fails naming the file on a shape mismatch. */
    public static void read(Path dir, Map<String, NDArray> arrays) {
        arrays.forEach((name, a) -> {
            Path file = dir.resolve(name + ".npy");
            Embeddings stored = Npy.read(file);
            if ((long) stored.rows() * stored.dimension() != a.getShape().size()) {
                throw new InputFileException(file, "holds " + stored.rows() + " x " + stored.dimension() + " values, the model expects "
                        + a.getShape());
            }
            Overwrite.with(a, stored.rows(0, stored.rows()));
        });
    }
}
