package io.quasid.ranking.sasrec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** How the ranking model represents an item: from its SID codes, its own id, or both summed. */
public enum Features {
    SID("sid"), ID("id"), SID_ID("sid+id");

    private final String label;

    Features(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    /** The label, as settings and JSON write it. */
    @Override
    public String toString() {
        return label;
    }

    public boolean usesSid() {
        return this != ID;
    }

    public boolean usesId() {
        return this != SID;
    }

    /** The features called {@code label} ({@code sid}, {@code id} or {@code sid+id}). */
    @JsonCreator
    public static Features of(String label) {
        return Arrays.stream(values()).filter(f -> f.label.equals(label)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("features = " + label + " is not allowed: choose one of "
                        + Arrays.stream(values()).map(Features::label).toList()));
    }
}
