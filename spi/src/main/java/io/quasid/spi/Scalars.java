package io.quasid.spi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant that is safe to differentiate. Use these, never {@code x.mul(2f)},
 * {@code x.div(t)} or {@code x.maximum(0f)}, on anything a loss depends on.
 *
 * <p>DJL's PyTorch engine (0.35.1) implements {@code op(Number)} by wrapping the number in an array
 * over a Java direct buffer (no copy) and closing that array right after the op. Autograd keeps the
 * constant for the backward pass of {@code mul}, {@code div}, {@code maximum} and {@code minimum}; once
 * the garbage collector frees the buffer, backward reads freed memory: gradients that are sporadically
 * huge (1e28), zero or non-finite, and runs with the same seed that differ. The constants made here
 * live in memory the engine owns, which autograd keeps alive for as long as it needs them.
 * ({@code add} and {@code sub} keep no operand, so {@code x.add(1f)} is safe.)
 */
public final class Scalars {
    private Scalars() {}

    /**
     * {@code value} as a 0-dimensional array of {@code like}'s type, on its device, in engine-owned memory.
     * Integer arrays never carry gradients, so an integer constant is made exactly (a float would round above 2^24).
     */
    public static NDArray of(NDArray like, double value) {
        if (like.getDataType().isInteger()) {
            return like.getManager().create((long) value).toType(like.getDataType(), false);
        }
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }

    /** {@code x * c}. */
    public static NDArray mul(NDArray x, double c) {
        return x.mul(of(x, c));
    }

    /** {@code x / c}. */
    public static NDArray div(NDArray x, double c) {
        return x.div(of(x, c));
    }

    /** {@code max(x, c)} element-wise. */
    public static NDArray maximum(NDArray x, double c) {
        return x.maximum(of(x, c));
    }
}
