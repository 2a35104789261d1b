package io.quasid.rqvae;

import io.quasid.core.training.Weights;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.quasid.core.io.AtomicFiles;
import io.quasid.core.io.InputFileException;
import io.quasid.core.io.Json;
import io.quasid.core.training.AdamW;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A training checkpoint: weights, AdamW moments and step count, the epochs done and their history,
 * and the run's identity (settings, seed, input hash, bound losses). Written as a whole directory and
 * renamed into place, so a run killed at any moment leaves the previous checkpoint intact.
 */
final class Checkpoint {
    private static final String STATE = "state.json";

    private final Optional<Path> dir;
    private final Map<String, Object> identity;

    Checkpoint(Optional<Path> dir, Map<String, Object> identity) {
        this.dir = dir;
        this.identity = identity;
    }

    Path dir() {
        return dir.orElseThrow();
    }

    boolean exists() {
        return dir.isPresent() && Files.isRegularFile(dir.get().resolve(STATE));
    }

    void write(RqVaeNetwork network, AdamW optimizer, int epochsDone, List<Map<String, Double>> history) {
        if (dir.isEmpty()) {
            return;
        }
        AtomicFiles.writeDirectory(dir.get(), tmp -> {
            Weights.write(Files.createDirectories(tmp.resolve("weights")), network.arrays());
            Weights.write(Files.createDirectories(tmp.resolve("adam_m")), optimizer.firstMoments());
            Weights.write(Files.createDirectories(tmp.resolve("adam_v")), optimizer.secondMoments());
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("identity", identity);
            state.put("epochs_done", epochsDone);
            state.put("adam_steps", optimizer.steps());
            state.put("history", history);
            Json.write(tmp.resolve(STATE), state);
        });
    }

    /** {@code value} as it reads back from JSON, so numbers compare by value, not by Java type. */
    private static JsonNode asRead(Object value) {
        try {
            return Json.MAPPER.readTree(Json.toString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads the checkpoint into {@code network} and {@code optimizer}, appends its history; returns the epochs done. */
    int restore(RqVaeNetwork network, AdamW optimizer, List<Map<String, Double>> history) {
        Path file = dir().resolve(STATE);
        JsonNode state = Json.read(file);
        JsonNode expected = asRead(identity);
        JsonNode found = state.path("identity");
        if (!expected.equals(found)) {
            StringBuilder diff = new StringBuilder();
            expected.fieldNames().forEachRemaining(k -> {
                if (!expected.get(k).equals(found.get(k))) {
                    diff.append(diff.length() > 0 ? "; " : "").append(k).append(": checkpoint ").append(found.get(k))
                            .append(", this run ").append(expected.get(k));
                }
            });
            throw new InputFileException(file, "the checkpoint belongs to another run (" + diff + "); remove it or train without --resume");
        }
        Weights.read(dir().resolve("weights"), network.arrays());
        Weights.read(dir().resolve("adam_m"), optimizer.firstMoments());
        Weights.read(dir().resolve("adam_v"), optimizer.secondMoments());
        optimizer.restoreSteps(state.path("adam_steps").asLong());
        history.addAll(Json.MAPPER.convertValue(state.path("history"), new TypeReference<List<Map<String, Double>>>() {}));
        return state.path("epochs_done").asInt();
    }
}
