package io.quasid.rqvae;

import io.quasid.core.training.Weights;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.quasid.core.io.Json;
import io.quasid.spi.Embeddings;
import io.quasid.spi.TokenizerContext;
import io.quasid.spi.TokenizerFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The {@code rqkmeans} baseline (METHOD.md §1): each level's codebook is k-means on the residuals the
 * previous levels leave; no encoder and no gradient training, so bound losses do not apply.
 */
public final class RqKMeansFactory implements TokenizerFactory {
    public static final String NAME = "rqkmeans";

    private final RqKMeansConfig config;

    public RqKMeansFactory(RqKMeansConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RqKMeansTokenizer fit(Embeddings items, TokenizerContext context) {
        if (!context.losses().isEmpty() || !context.pairMasks().isEmpty()) {
            throw new IllegalArgumentException("rqkmeans is not trained by gradient, so losses and pair masks cannot be bound to it;"
                    + " use --tokenizer rqvae with plugins");
        }
        if (items.rows() < config.codes()) {
            throw new IllegalArgumentException("rqkmeans with " + config.codes() + " codes (K) needs at least " + config.codes()
                    + " items, the catalogue has " + items.rows());
        }
        long start = System.nanoTime();
        NDManager manager = NDManager.newBaseManager(context.device(), "PyTorch");
        NDArray[] codebooks = new NDArray[config.levels()];
        Random random = new Random(BatchPlan.mix(context.seed(), Long.MIN_VALUE));
        try (NDManager work = manager.newSubManager(); NDScope scope = new NDScope()) {
            NDArray residual = work.create(items.rows(0, items.rows()), new Shape(items.rows(), items.dimension()));
            for (int l = 0; l < config.levels(); l++) {
                codebooks[l] = KMeans.fit(residual, config.codes(), config.iterations(), random, manager);
                residual = residual.sub(Codebooks.gather(codebooks[l], Codebooks.nearest(residual, codebooks[l])));
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        Map<String, Object> meta = TokenizerFiles.provenance(NAME, items, config.shape(), config, context);
        meta.put("training", Map.of("seconds", (System.nanoTime() - start) / 1e9));
        return new RqKMeansTokenizer(manager, codebooks, config.shape(), items.dimension(), meta);
    }

    @Override
    public RqKMeansTokenizer load(Path dir, Device device) {
        JsonNode meta = TokenizerFiles.readMetadata(dir, NAME);
        RqKMeansConfig saved = Json.MAPPER.convertValue(meta.get("config"), RqKMeansConfig.class);
        int dimension = meta.path("dimension").asInt();
        NDManager manager = NDManager.newBaseManager(device, "PyTorch");
        NDArray[] codebooks = new NDArray[saved.levels()];
        Map<String, NDArray> named = new LinkedHashMap<>();
        for (int l = 0; l < saved.levels(); l++) {
            codebooks[l] = manager.zeros(new Shape(saved.codes(), dimension));
            named.put("codebook." + (l + 1), codebooks[l]);
        }
        try {
            Weights.read(dir.resolve("weights"), named);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        return new RqKMeansTokenizer(manager, codebooks, saved.shape(), dimension,
                Json.MAPPER.convertValue(meta, new TypeReference<Map<String, Object>>() {}));
    }
}
