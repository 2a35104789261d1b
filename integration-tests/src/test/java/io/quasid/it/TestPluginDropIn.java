package io.quasid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.quasid.core.data.Catalogue;
import io.quasid.core.data.Dataset;
import io.quasid.core.data.Item;
import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.core.pairs.SwingConfig;
import io.quasid.core.pairs.SwingPairs;
import io.quasid.core.plugin.LoadedPlugin;
import io.quasid.core.plugin.PluginFolder;
import io.quasid.core.plugin.PluginRegistry;
import io.quasid.spi.Embeddings;
import io.quasid.spi.Tokenizer;
import io.quasid.spi.TokenizerContext;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A host with only spi, core and the RQ-VAE adapter on its classpath picks up the QuaSID jar from a folder. */
final class TestPluginDropIn {
    private static final Path PLUGINS = Path.of(System.getProperty("quasid.plugin.dir", "target/plugins"));
    private static final int ITEMS = 256;

    /** Users who each buy a few items of one of 16 groups; items of a group have similar embeddings. */
    private static LeaveOneOutSplit shop() {
        List<Item> items = IntStream.range(0, ITEMS).mapToObj(i -> new Item("i" + i, "", "", List.of(), 1)).toList();
        Random random = new Random(1);
        List<String> users = new ArrayList<>();
        List<int[]> sequences = new ArrayList<>();
        for (int u = 0; u < 400; u++) {
            int group = random.nextInt(16);
            users.add("u" + u);
            sequences.add(random.ints(6, 0, 16).map(k -> group * 16 + k).toArray());
        }
        return new LeaveOneOutSplit(new Dataset("shop", new Catalogue(items), users, sequences.toArray(int[][]::new)));
    }

    private static Embeddings embeddings() {
        Random random = new Random(2);
        float[] v = new float[ITEMS * 16];
        for (int i = 0; i < ITEMS; i++) {
            for (int j = 0; j < 16; j++) {
                v[i * 16 + j] = (j == (i / 16) ? 1 : 0) + 0.3f * (float) random.nextGaussian();
            }
        }
        return Embeddings.of(v, ITEMS, 16);
    }

    /** The host's settings for a small RQ-VAE, as a host reading them from a file would hold them. */
    private static final Map<String, String> SMALL = Map.of("rqvae.levels", "2", "rqvae.codes", "16", "rqvae.latent", "8",
            "rqvae.hidden", "[32]", "rqvae.batch_rows", "64", "rqvae.item_rows", "48", "rqvae.epochs", "3",
            "rqvae.kmeans_sample", String.valueOf(ITEMS), "rqvae.checkpoint_every", "0");

    private static Map<String, String> small(String key, String value) {
        Map<String, String> settings = new java.util.HashMap<>(SMALL);
        settings.put(key, value);
        return settings;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Double> lastEpoch(Tokenizer t) {
        List<Map<String, Double>> history = (List<Map<String, Double>>) ((Map<String, Object>) t.metadata().get("training")).get("history");
        return history.get(history.size() - 1);
    }

    private static Tokenizer train(PluginRegistry registry, LeaveOneOutSplit split) {
        return train(registry, split, "quasid");
    }

    private static Tokenizer train(PluginRegistry registry, LeaveOneOutSplit split, String name) {
        LoadedPlugin plugin = registry.plugin(name);
        TokenizerContext context = TokenizerContext.builder(Device.cpu(), 1)
                .losses(plugin.losses()).pairMasks(plugin.pairMasks()).plugins(List.of(plugin.describe()))
                .pairs(SwingPairs.of(split, SwingConfig.DEFAULTS)).build();
        return registry.tokenizer("rqvae").fit(embeddings(), context);
    }

    @Test
    void theQuaSidJarIsNotOnTheHostsClasspath() {
        assertThatThrownBy(() -> Class.forName("io.quasid.plugins.quasid.QuaSidPlugin")).isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void aDroppedInJarIsFoundAndTrainsTheHostsTokenizer() throws Exception {
        try (URLClassLoader jars = PluginFolder.classLoader(PLUGINS, getClass().getClassLoader())) {
            PluginRegistry registry = PluginRegistry.load(jars, SMALL);
            LoadedPlugin quasid = registry.plugin("quasid");
            assertThat(quasid.source()).contains("quasid-plugin");
            assertThat(quasid.losses()).extracting(l -> l.name()).containsExactlyInAnyOrder("quasid.hamr", "quasid.contrastive");
            assertThat(quasid.pairMasks()).extracting(m -> m.name()).containsExactly("quasid.cvpm");
            try (Tokenizer t = train(registry, shop())) {
                assertThat(lastEpoch(t)).containsKeys("quasid.hamr", "quasid.hamr/full_pairs", "quasid.contrastive/info_nce");
                assertThat(lastEpoch(t).get("quasid.contrastive")).isPositive();
                assertThat(t.metadata().get("plugins").toString()).contains("quasid");
            }
        }
    }

    @Test
    void theAdaSidJarIsFoundBesideQuaSidAndTrainsTheSameTokenizerUnchanged() throws Exception {
        try (URLClassLoader jars = PluginFolder.classLoader(PLUGINS, getClass().getClassLoader())) {
            PluginRegistry registry = PluginRegistry.load(jars, SMALL);
            LoadedPlugin adasid = registry.plugin("adasid");
            assertThat(adasid.source()).contains("adasid-plugin");
            assertThat(adasid.losses()).extracting(l -> l.name()).containsExactlyInAnyOrder("adasid.collision", "adasid.contrastive");
            try (Tokenizer t = train(registry, shop(), "adasid")) {
                assertThat(lastEpoch(t)).containsKeys("adasid.collision/relaxed_share", "adasid.collision/mean_load",
                        "adasid.collision/w_col", "adasid.contrastive/info_nce", "adasid.collision/eta/1", "adasid.collision/eta/2",
                        "adasid.collision/weight_sd");
                assertThat(lastEpoch(t).get("adasid.collision/w_col")).isLessThan(1.0);
            }
        }
    }

    @Test
    void theHostsSettingsConfigureTheDroppedInPlugin() throws Exception {
        try (URLClassLoader jars = PluginFolder.classLoader(PLUGINS, getClass().getClassLoader())) {
            // the host knows the plugin's settings only by name, as a host reading them from a file would
            PluginRegistry registry = PluginRegistry.load(jars, small("quasid.contrastive", "false"));
            assertThat(registry.plugin("quasid").settings()).containsEntry("quasid.contrastive", false).containsEntry("quasid.m_full", 0.8);
            try (Tokenizer t = train(registry, shop())) {
                assertThat(lastEpoch(t).get("quasid.contrastive")).isZero();
                assertThat(lastEpoch(t)).containsKey("quasid.hamr/full_pairs");
            }
        }
    }
}
