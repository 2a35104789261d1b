package io.quasid.rqvae;

import com.fasterxml.jackson.databind.JsonNode;
import io.quasid.core.io.Hashes;
import io.quasid.core.io.InputFileException;
import io.quasid.core.io.Json;
import io.quasid.spi.CodebookShape;
import io.quasid.spi.Embeddings;
import io.quasid.spi.TokenizerContext;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The saved-model layout shared by this module's tokenizers: {@code tokenizer.json} plus {@code weights/}. */
final class TokenizerFiles {
    static final String MODEL_JSON = "tokenizer.json";
    static final int FORMAT_VERSION = 1;

    private TokenizerFiles() {}

    /**
     * What every saved tokenizer records (ARCHITECTURE.md, "Files"): format version, tokenizer name,
     * input size, codebook shape, settings, seed, a hash of the input embeddings and the plugins in use.
     */
    static Map<String, Object> provenance(String tokenizer, Embeddings items, CodebookShape shape, Object config,
                                          TokenizerContext context) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format_version", FORMAT_VERSION);
        m.put("tokenizer", tokenizer);
        m.put("dimension", items.dimension());
        m.put("items", items.rows());
        m.put("levels", shape.levels());
        m.put("codes", shape.codes());
        m.put("config", config);
        m.put("seed", context.seed());
        m.put("embeddings_hash", Hashes.of(items));
        m.put("plugins", context.plugins());
        return m;
    }

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
