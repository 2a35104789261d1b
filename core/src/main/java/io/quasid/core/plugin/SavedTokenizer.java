package io.quasid.core.plugin;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import io.quasid.core.io.InputFileException;
import io.quasid.core.io.Json;
import io.quasid.spi.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A trained tokenizer as {@code quasid tokenize} leaves it: a folder with its {@code model/} and the
 * {@code sids.meta.json} that names the tokenizer. {@code quasid assign} and the Spark assignment job
 * load it the same way.
 */
public final class SavedTokenizer {
    private SavedTokenizer() {}

    /** The name of the tokenizer saved in {@code folder}; fails naming the folder or file when it is not one. */
    public static String name(Path folder) {
        Path meta = folder.resolve("sids.meta.json");
        if (!Files.isDirectory(folder.resolve("model")) || !Files.isRegularFile(meta)) {
            throw new InputFileException(folder, "is not a tokenizer's folder: expected model/ and sids.meta.json, as tokenize writes them");
        }
        JsonNode about = Json.read(meta);
        String name = about.path("tokenizer").asText("");
        if (name.isEmpty()) {
            throw new InputFileException(meta, "names no tokenizer ('tokenizer' is missing)");
        }
        return name;
    }

    /** Loads the tokenizer saved in {@code folder} with the plugins {@code loader} sees (its own settings: those it was trained with). */
    public static Tokenizer load(Path folder, ClassLoader loader, Device device) {
        String name = name(folder);
        return PluginRegistry.load(loader, Map.of()).tokenizer(name).load(folder.resolve("model"), device);
    }
}
