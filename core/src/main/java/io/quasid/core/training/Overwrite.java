package io.quasid.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Copies host values into an existing array. Never use {@code NDArray.set(Buffer)} for that on the
 * PyTorch engine: on CPU it makes the array alias a temporary direct buffer without copying, so once the
 * buffer is collected the array reads freed memory (seen as sporadic 1e33 gradients). This copies
 * through an indexed assignment instead.
 */
public final class Overwrite {
    private Overwrite() {}

    /** Replaces every value of {@code target} (row-major) with {@code values}. */
    public static void with(NDArray target, float[] values) {
        if (values.length != target.getShape().size()) {
            throw new IllegalArgumentException(values.length + " values for an array of shape " + target.getShape());
        }
        // an in-place write to a parameter is refused while the thread records gradients (PyTorch's
        // grad mode is per thread and on by default in threads the engine did not start)
        boolean parameter = target.hasGradient();
        if (parameter) {
            target.setRequiresGradient(false);
        }
        try (NDArray source = target.getManager().create(values, target.getShape())) {
            target.set(new NDIndex(":"), source);
        } finally {
            if (parameter) {
                target.setRequiresGradient(true);
            }
        }
    }
}
