package io.quasid.core.pairs;

import io.quasid.spi.Settings;

/**
 * Swing settings (METHOD.md §2): {@code alpha} smooths the user-pair overlap, {@code alpha1} and
 * {@code beta_s} down-weight heavy users, and each item keeps its {@code top_k} best neighbours.
 */
public record SwingConfig(double alpha, double alpha1, double betaS, int topK) {
    public static final SwingConfig DEFAULTS = new SwingConfig(1, 5, 0.3, 20);

    public SwingConfig {
        Settings.inRange("alpha", alpha, 1e-9, 1e9);
        Settings.inRange("alpha1", alpha1, 0, 1e9);
        Settings.inRange("beta_s", betaS, 0, 10);
        Settings.inRange("top_k", topK, 1, 10_000);
    }
}
