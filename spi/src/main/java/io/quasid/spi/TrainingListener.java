package io.quasid.spi;

import java.util.Map;

/** Receives training progress: per step and per epoch, with named values (losses, diagnostics). */
public interface TrainingListener {
    TrainingListener NONE = new TrainingListener() {};

    default void onStep(TrainingProgress progress, Map<String, Double> values) {}

    default void onEpoch(int epoch, int epochs, Map<String, Double> values) {}
}
