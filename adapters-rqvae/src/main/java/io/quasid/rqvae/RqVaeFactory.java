package io.quasid.rqvae;

import io.quasid.core.training.Weights;
import ai.djl.Device;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.quasid.core.io.Json;
import io.quasid.spi.Embeddings;
import io.quasid.spi.TokenizerContext;
import io.quasid.spi.TokenizerFactory;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Map;

/** The {@code rqvae} tokenizer: an RQ-VAE trained with whatever losses and pair masks are bound. */
public final class RqVaeFactory implements TokenizerFactory {
    public static final String NAME = "rqvae";

    private final RqVaeConfig config;

    @Inject
    public RqVaeFactory(RqVaeConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    public RqVaeConfig config() {
        return config;
    }

    @Override
    public RqVaeTokenizer fit(Embeddings items, TokenizerContext context) {
        return new RqVaeTraining(config, items, context).run();
    }

    @Override
    public RqVaeTokenizer load(Path dir, Device device) {
        JsonNode meta = TokenizerFiles.readMetadata(dir, NAME);
        RqVaeConfig saved = Json.MAPPER.convertValue(meta.get("config"), RqVaeConfig.class);
        RqVaeNetwork network = new RqVaeNetwork(saved, meta.path("dimension").asInt(), device, 0);
        try {
            Weights.read(dir.resolve("weights"), network.parameters());
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
        return new RqVaeTokenizer(network, Json.MAPPER.convertValue(meta, new TypeReference<Map<String, Object>>() {}));
    }
}
