package io.quasid.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.quasid.spi.Scalars;

/**
 * Inverted dropout: each element is kept with probability {@code 1 - rate} and scaled by
 * {@code 1 / (1 - rate)}, the rest are zeroed, so the expectation is unchanged and inference needs no
 * rescaling. The same distribution as DJL's {@code Dropout.dropout} (PyTorch's {@code dropout}), drawn
 * as uniforms compared with the rate: PyTorch 2's CPU {@code bernoulli_(p)} behind that call is scalar code
 * and took a third of a generative-retriever training step on Beauty (README, "Speed"), where
 * {@code uniform_} is vectorised. The mask comes from the engine's generator, so
 * {@code Engine.setRandomSeed} fixes it.
 */
public final class InvertedDropout {
    private InvertedDropout() {}

    /** {@code x} with dropout at {@code rate} in {@code [0, 1)}; {@code x} itself when the rate is 0. */
    public static NDArray apply(NDArray x, double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout rate = " + rate + " is out of range: allowed [0, 1)");
        }
        if (rate == 0) {
            return x;
        }
        NDArray kept = x.getManager().randomUniform(0f, 1f, x.getShape(), x.getDataType(), x.getDevice())
                .gte(Scalars.of(x, rate)).toType(x.getDataType(), false);
        return x.mul(Scalars.div(kept, 1 - rate));
    }
}
