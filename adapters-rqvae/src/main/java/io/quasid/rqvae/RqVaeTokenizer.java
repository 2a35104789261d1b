package io.quasid.rqvae;

import io.quasid.core.training.Weights;
import io.quasid.core.io.AtomicFiles;
import io.quasid.core.io.Json;
import io.quasid.spi.CodebookShape;
import io.quasid.spi.Embeddings;
import io.quasid.spi.Sid;
import io.quasid.spi.Tokenizer;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/** A trained RQ-VAE (any {@link Quantizer}): encoder plus codebooks assign SIDs; the decoder is kept so training can resume. */
final class RqVaeTokenizer implements Tokenizer {
    private final RqVaeNetwork network;
    private final Map<String, Object> metadata;

    RqVaeTokenizer(RqVaeNetwork network, Map<String, Object> metadata) {
        this.network = network;
        this.metadata = Map.copyOf(metadata);
    }

    @Override
    public String name() {
        return network.quantizer().tokenizer();
    }

    @Override
    public CodebookShape shape() {
        return network.config().shape();
    }

    @Override
    public int dimension() {
        return network.dimension();
    }

    @Override
    public Sid[] assign(Embeddings embeddings) {
        embeddings.requireDimension(network.dimension(), "this " + name() + " tokenizer");
        return assign(network, embeddings);
    }

    static Sid[] assign(RqVaeNetwork network, Embeddings embeddings) {
        return Codebooks.assign(network.manager(), embeddings, network::encode, network::codebooks);
    }

    @Override
    public void save(java.nio.file.Path dir) {
        AtomicFiles.writeDirectory(dir, tmp -> {
            Json.write(tmp.resolve(TokenizerFiles.MODEL_JSON), metadata);
            Weights.write(Files.createDirectories(tmp.resolve("weights")), network.arrays());
        });
    }

    @Override
    public Map<String, Object> metadata() {
        return new LinkedHashMap<>(metadata);
    }

    RqVaeNetwork network() {
        return network;
    }

    @Override
    public void close() {
        network.close();
    }
}
