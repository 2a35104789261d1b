package io.quasid.rqvae;

import io.quasid.core.training.Weights;
import ai.djl.Device;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.quasid.core.io.Json;
import io.quasid.spi.Embeddings;
import io.quasid.spi.TokenizerContext;
import io.quasid.spi.TokenizerFactory;
import java.nio.file.Path;
import java.util.Map;

/**
 * A gradient-trained residual quantizer of this module ({@code rqvae}, {@code rqvae-rotation}, {@code simvq}: see
 * {@link Quantizer}), trained with whatever losses and pair masks are bound.
 */
public final class RqVaeFactory implements TokenizerFactory {
    private final Quantizer quantizer;
    private final RqVaeConfig config;

    /** Fails naming the setting when {@code config} does not suit {@code quantizer} (SimVQ has no k-means start and no reseeding). */
    public RqVaeFactory(Quantizer quantizer, RqVaeConfig config) {
        if (quantizer == Quantizer.SIMVQ && (config.kmeansInit() || config.reseedDeadCodes())) {
            throw new IllegalArgumentException(quantizer.tokenizer() + ": kmeans_init and reseed_dead_codes must be false"
                    + " (its codewords are a frozen basis times a learned layer)");
        }
        this.quantizer = quantizer;
        this.config = config;
    }

    @Override
    public String name() {
        return quantizer.tokenizer();
    }

    public RqVaeConfig config() {
        return config;
    }

    @Override
    public RqVaeTokenizer fit(Embeddings items, TokenizerContext context) {
        return new RqVaeTraining(config, quantizer, items, context).run();
    }

    @Override
    public RqVaeTokenizer load(Path dir, Device device) {
        JsonNode meta = TokenizerFiles.readMetadata(dir, name());
        RqVaeConfig saved = Json.MAPPER.convertValue(meta.get("config"), RqVaeConfig.class);
        RqVaeNetwork network = new RqVaeNetwork(saved, quantizer, meta.path("dimension").asInt(), device, 0);
        try {
            Weights.read(dir.resolve("weights"), network.arrays());
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
        return new RqVaeTokenizer(network, Json.MAPPER.convertValue(meta, new TypeReference<Map<String, Object>>() {}));
    }
}
