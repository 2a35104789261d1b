package io.quasid.rqvae;

import io.quasid.core.training.Weights;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.quasid.core.io.AtomicFiles;
import io.quasid.core.io.Json;
import io.quasid.spi.CodebookShape;
import io.quasid.spi.Embeddings;
import io.quasid.spi.Sid;
import io.quasid.spi.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Residual k-means codebooks over the raw embeddings. */
final class RqKMeansTokenizer implements Tokenizer {
    private final NDManager manager;
    private final NDArray[] codebooks;
    private final CodebookShape shape;
    private final int dimension;
    private final Map<String, Object> metadata;

    RqKMeansTokenizer(NDManager manager, NDArray[] codebooks, CodebookShape shape, int dimension, Map<String, Object> metadata) {
        this.manager = manager;
        this.codebooks = codebooks;
        this.shape = shape;
        this.dimension = dimension;
        this.metadata = Map.copyOf(metadata);
    }

    @Override
    public String name() {
        return RqKMeansFactory.NAME;
    }

    @Override
    public CodebookShape shape() {
        return shape;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public Sid[] assign(Embeddings embeddings) {
        embeddings.requireDimension(dimension, "this rqkmeans tokenizer");
        return Codebooks.assign(manager, embeddings, x -> x, () -> codebooks);
    }

    @Override
    public void save(Path dir) {
        Map<String, NDArray> named = new LinkedHashMap<>();
        for (int l = 0; l < codebooks.length; l++) {
            named.put("codebook." + (l + 1), codebooks[l]);
        }
        AtomicFiles.writeDirectory(dir, tmp -> {
            Json.write(tmp.resolve(TokenizerFiles.MODEL_JSON), metadata);
            Weights.write(Files.createDirectories(tmp.resolve("weights")), named);
        });
    }

    @Override
    public Map<String, Object> metadata() {
        return new LinkedHashMap<>(metadata);
    }

    @Override
    public void close() {
        manager.close();
    }
}
