package io.quasid.core.embedding;

import io.quasid.core.io.Hashes;
import io.quasid.core.io.Npy;
import io.quasid.spi.Embeddings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Item embeddings cached on disk as {@code <dir>/<key>.npy}, where the key hashes the model file, the
 * text template and every text, so a second run with the same inputs embeds nothing.
 */
public final class EmbeddingCache {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingCache.class);

    private final Path dir;

    public EmbeddingCache(Path dir) {
        this.dir = dir;
    }

    /** The default folder: {@code $XDG_CACHE_HOME/quasid/embeddings}, else {@code ~/.cache/quasid/embeddings}. */
    public static Path defaultDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("quasid").resolve("embeddings");
    }

    /** The cache key of {@code texts} embedded by the model with hash {@code modelHash}. */
    public static String key(String modelHash, List<String> texts) {
        MessageDigest digest = Hashes.sha256();
        digest.update((modelHash + "\n" + ItemText.TEMPLATE_VERSION + "\n").getBytes(StandardCharsets.UTF_8));
        for (String text : texts) {
            digest.update(text.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The embeddings of {@code texts}: read from the cache if present, else computed and stored. */
    public Embeddings embed(List<String> texts, TextEmbedder embedder) {
        Path file = dir.resolve(key(embedder.modelHash(), texts) + ".npy");
        if (Files.isRegularFile(file)) {
            Embeddings cached = Npy.read(file);
            if (cached.rows() == texts.size()) {
                LOG.info("embeddings of {} texts read from cache {}", texts.size(), file);
                return cached;
            }
            LOG.warn("cache entry {} has {} rows for {} texts; embedding again", file, cached.rows(), texts.size());
        }
        Embeddings computed = embedder.embed(texts);
        Npy.write(file, computed);
        return computed;
    }

    /** Where {@code texts} would be cached. */
    public Path fileFor(String modelHash, List<String> texts) {
        return dir.resolve(key(modelHash, texts) + ".npy");
    }
}
