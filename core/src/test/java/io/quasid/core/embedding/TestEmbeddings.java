package io.quasid.core.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.core.data.Item;
import io.quasid.core.io.Npy;
import io.quasid.spi.Embeddings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestEmbeddings {
    private static TextEmbedder embedder;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        embedder = new TextEmbedder(2);
    }

    @AfterAll
    static void stop() {
        embedder.close();
    }

    private static double cosine(Embeddings e, int a, int b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int j = 0; j < e.dimension(); j++) {
            dot += e.get(a, j) * e.get(b, j);
            na += e.get(a, j) * e.get(a, j);
            nb += e.get(b, j) * e.get(b, j);
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void theModelPlacesSimilarProductsCloser() {
        Embeddings e = embedder.embed(List.of("Rose scented hand soap, 250 ml", "Lavender liquid hand soap refill",
                "Black waterproof mascara"));
        assertThat(e.rows()).isEqualTo(3);
        assertThat(e.dimension()).isEqualTo(384);
        assertThat(cosine(e, 0, 1)).isGreaterThan(cosine(e, 0, 2));
    }

    @Test
    void theCacheServesASecondRequestWithoutEmbedding() {
        EmbeddingCache cache = new EmbeddingCache(dir);
        List<String> texts = List.of("alpha", "beta");
        // a cache entry with values no model would produce: served as is, so nothing was embedded
        Npy.write(cache.fileFor(embedder.modelHash(), texts), Embeddings.of(new float[][] {{7, 7}, {8, 8}}));
        assertThat(cache.embed(texts, embedder).row(1)).containsExactly(8, 8);
    }

    @Test
    void theCacheStoresWhatItEmbeds() {
        EmbeddingCache cache = new EmbeddingCache(dir);
        List<String> texts = List.of("gamma");
        Embeddings first = cache.embed(texts, embedder);
        assertThat(cache.fileFor(embedder.modelHash(), texts)).exists();
        assertThat(Npy.read(cache.fileFor(embedder.modelHash(), texts)).row(0)).containsExactly(first.row(0));
    }

    @Test
    void theCacheKeyChangesWithAnyText() {
        assertThat(EmbeddingCache.key("m", List.of("a", "b"))).isNotEqualTo(EmbeddingCache.key("m", List.of("a", "c")));
        assertThat(EmbeddingCache.key("m", List.of("ab"))).isNotEqualTo(EmbeddingCache.key("m", List.of("a", "b")));
        assertThat(EmbeddingCache.key("m", List.of("a"))).isNotEqualTo(EmbeddingCache.key("n", List.of("a")));
    }

    @Test
    void itemTextJoinsTitleBrandCategoriesAndPrice() {
        Item item = new Item("x", " Shea  lotion ", "Acme", List.of("Beauty", "Skin Care"), 12.5);
        assertThat(ItemText.of(item)).isEqualTo("Shea lotion. Brand: Acme. Category: Beauty > Skin Care. Price: $12.50.");
        assertThat(ItemText.of(new Item("x", "", "", List.of(), Double.NaN))).isEqualTo("x");
    }
}
