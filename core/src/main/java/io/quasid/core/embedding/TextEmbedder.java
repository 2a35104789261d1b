package io.quasid.core.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.quasid.core.Progress;
import io.quasid.core.io.Hashes;
import io.quasid.spi.Embeddings;
import io.quasid.spi.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Embeds texts with the quantized all-MiniLM-L6-v2 sentence model that ships inside its Maven jar
 * (384 dimensions, no download). Texts are embedded in chunks, in parallel over {@code threads}.
 */
public final class TextEmbedder implements AutoCloseable {
    public static final String MODEL = "all-minilm-l6-v2-q";
    public static final int DIMENSION = 384;
    private static final String MODEL_RESOURCE = "/all-minilm-l6-v2-q.onnx";
    private static final int CHUNK = 64;

    private final ExecutorService executor;
    private final EmbeddingModel model;
    private String modelHash;

    /** A model that embeds on {@code threads} worker threads (1 or more). */
    public TextEmbedder(int threads) {
        Settings.inRange("embedding threads", threads, 1, 256);
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "quasid-embed");
            t.setDaemon(true);
            return t;
        });
        this.model = new AllMiniLmL6V2QuantizedEmbeddingModel(executor);
    }

    /** SHA-256 of the model file, part of every embedding cache key. */
    public synchronized String modelHash() {
        if (modelHash == null) {
            try (InputStream in = AllMiniLmL6V2QuantizedEmbeddingModel.class.getResourceAsStream(MODEL_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the model file " + MODEL_RESOURCE + " is missing from the classpath");
                }
                MessageDigest digest = Hashes.sha256();
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
                modelHash = HexFormat.of().formatHex(digest.digest());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the embedding model: " + e.getMessage(), e);
            }
        }
        return modelHash;
    }

    /** One 384-d row per text, in order, with a progress bar. */
    public Embeddings embed(List<String> texts) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("nothing to embed: the list of texts is empty");
        }
        float[] data = new float[texts.size() * DIMENSION];
        try (Progress progress = Progress.start("embed " + MODEL, texts.size(), "items")) {
            for (int from = 0; from < texts.size(); from += CHUNK) {
                int to = Math.min(texts.size(), from + CHUNK);
                List<TextSegment> segments = texts.subList(from, to).stream().map(TextSegment::from).toList();
                List<Embedding> vectors = model.embedAll(segments).content();
                for (int k = 0; k < vectors.size(); k++) {
                    float[] v = vectors.get(k).vector();
                    if (v.length != DIMENSION) {
                        throw new IllegalStateException(MODEL + " returned " + v.length + " dimensions, expected " + DIMENSION);
                    }
                    System.arraycopy(v, 0, data, (from + k) * DIMENSION, DIMENSION);
                }
                progress.stepBy(to - from);
            }
        }
        return Embeddings.of(data, texts.size(), DIMENSION);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
