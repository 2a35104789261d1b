package io.quasid.spi;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * One loss's contribution to a training step: a scalar {@code value} (already weighted, added to the
 * total as is) and a few named {@code diagnostics} read on the host, e.g. {@code full_pairs}.
 */
public record LossTerm(NDArray value, Map<String, Double> diagnostics) {
    public LossTerm {
        if (value == null) {
            throw new IllegalArgumentException("a loss term needs a value");
        }
        diagnostics = Map.copyOf(diagnostics);
    }

    public static LossTerm of(NDArray value) {
        return new LossTerm(value, Map.of());
    }
}
