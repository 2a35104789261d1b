package io.quasid.rqvae;

import com.fasterxml.jackson.databind.JsonNode;
import io.quasid.core.io.InputFileException;
import io.quasid.core.io.Json;
import java.nio.file.Path;

/** The saved-model layout shared by this module's tokenizers: {@code tokenizer.json} plus {@code weights/}. */
final class TokenizerFiles {
    static final String MODEL_JSON = "tokenizer.json";
    static final int FORMAT_VERSION = 1;

    private TokenizerFiles() {}

    /** Reads {@code tokenizer.json} of {@code dir}; fails on another tokenizer or format version. */
    static JsonNode readMetadata(Path dir, String tokenizer) {
        Path file = dir.resolve(MODEL_JSON);
        JsonNode meta = Json.read(file);
        int version = meta.path("format_version").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new InputFileException(file, "format_version " + version + " is not supported: this build reads version " + FORMAT_VERSION);
        }
        String name = meta.path("tokenizer").asText();
        if (!name.equals(tokenizer)) {
            throw new InputFileException(file, "holds a '" + name + "' tokenizer, not '" + tokenizer + "'");
        }
        return meta;
    }
}
