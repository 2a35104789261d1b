package io.quasid.ranking.tiger;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.quasid.spi.Settings;
import java.util.Locale;

/** How the generative retriever's learning rate moves over its training steps. */
public enum LearningRateSchedule {
    /** {@code learning_rate} at every step. The default. */
    CONSTANT,
    /** Half a cosine from {@code learning_rate} at the first step to 0 after {@code max_epochs} epochs (Loshchilov and Hutter's SGDR without restarts). */
    COSINE;

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return key();
    }

    /** The schedule named {@code key}; fails listing the schedules. */
    @JsonCreator
    public static LearningRateSchedule of(String key) {
        return Settings.key("schedule", LearningRateSchedule.class, key);
    }

    /** The learning rate of step {@code step} ({@code 0 .. steps - 1}) of {@code steps}, from {@code base}. */
    public double rate(double base, long step, long steps) {
        return switch (this) {
            case CONSTANT -> base;
            case COSINE -> base * 0.5 * (1 + Math.cos(Math.PI * Math.min(step, steps) / steps));
        };
    }
}
