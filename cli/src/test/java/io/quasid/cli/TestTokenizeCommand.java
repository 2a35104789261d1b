package io.quasid.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.quasid.core.io.Json;
import io.quasid.core.io.Npy;
import io.quasid.core.sid.SidCsv;
import io.quasid.core.sid.SidTable;
import io.quasid.spi.Embeddings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestTokenizeCommand {
    private static final int ITEMS = 64;

    @TempDir
    Path dir;

    private Path data;
    private Path embeddings;

    /** A CSV shop of 64 items with 12-d embeddings of its own, so no text model runs. */
    @BeforeEach
    void shop() throws IOException {
        data = Files.createDirectories(dir.resolve("shop"));
        StringBuilder items = new StringBuilder("item,title,price\n");
        StringBuilder interactions = new StringBuilder("user,item\n");
        List<String> ids = new ArrayList<>();
        Random random = new Random(4);
        float[] v = new float[ITEMS * 12];
        for (int i = 0; i < ITEMS; i++) {
            ids.add("p" + i);
            items.append("p").append(i).append(",Product ").append(i).append(',').append(i + 1).append('\n');
            // users u and u + 1 share items, so Swing finds pairs
            interactions.append("u").append(i % 10).append(",p").append(i).append('\n');
            interactions.append("u").append((i + 1) % 10).append(",p").append(i).append('\n');
            for (int j = 0; j < 12; j++) {
                v[i * 12 + j] = (i % 8 == j % 8 ? 1 : 0) + 0.2f * (float) random.nextGaussian();
            }
        }
        Files.writeString(data.resolve("items.csv"), items);
        Files.writeString(data.resolve("interactions.csv"), interactions);
        embeddings = dir.resolve("emb.npy");
        Npy.write(embeddings, Embeddings.of(v, ITEMS, 12));
        Files.write(dir.resolve("emb.items.txt"), ids);
    }

    private Cli tokenize(String... extra) {
        List<String> args = new ArrayList<>(List.of("tokenize", "--data", data.toString(), "--embeddings", embeddings.toString(),
                "--out", dir.resolve("out").toString(), "--device", "cpu", "--seed", "3",
                "--set", "rqvae.codes=8", "--set", "rqvae.levels=2", "--set", "rqvae.latent=4", "--set", "rqvae.hidden=[16]",
                "--set", "rqvae.batch_rows=16", "--set", "rqvae.item_rows=12", "--set", "rqvae.kmeans_sample=64", "--set", "rqkmeans.codes=8"));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void writesTheModelTheSidsTheirMetadataStatsAndTrainingLog() throws IOException {
        Cli cli = tokenize("--epochs", "3");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        Path out = dir.resolve("out");
        assertThat(out.resolve("model/tokenizer.json")).exists();
        assertThat(SidCsv.read(out.resolve("sids.csv")).size()).isEqualTo(ITEMS);
        JsonNode meta = Json.read(out.resolve("sids.meta.json"));
        assertThat(meta.get("tokenizer").asText()).isEqualTo("rqvae");
        assertThat(meta.get("codes").asInt()).isEqualTo(8);
        assertThat(meta.get("seed").asInt()).isEqualTo(3);
        assertThat(meta.get("embeddings_hash").asText()).hasSize(64);
        assertThat(Json.read(out.resolve("stats.json")).get("items").asInt()).isEqualTo(ITEMS);
        assertThat(Json.read(out.resolve("training.json")).get("history")).hasSize(3);
        assertThat(cli.json().get("stats").get("levels").asInt()).isEqualTo(2);
    }

    @Test
    void resumesAFinishedRunWithoutTrainingAgain() {
        assertThat(tokenize("--epochs", "2", "--set", "rqvae.checkpoint_every=1").exitCode()).isZero();
        String first = Cli.run("stats", "--sids", dir.resolve("out/sids.csv").toString()).out();
        Cli resumed = tokenize("--epochs", "2", "--set", "rqvae.checkpoint_every=1", "--resume");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(Cli.run("stats", "--sids", dir.resolve("out/sids.csv").toString()).out()).isEqualTo(first);
    }

    @Test
    void trainsTheRqKMeansBaseline() {
        Cli cli = tokenize("--tokenizer", "rqkmeans", "--set", "rqkmeans.levels=2");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.json().get("stats").get("codes").asInt()).isEqualTo(8);
    }

    @Test
    void trainsWithQuaSidOnSwingPairsAndRecordsThePlugin() {
        Cli cli = tokenize("--epochs", "2", "--plugins", "quasid", "--set", "quasid.m_full=0.7");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        JsonNode meta = Json.read(dir.resolve("out/sids.meta.json"));
        assertThat(meta.get("plugins").get(0).asText()).startsWith("quasid ");
        assertThat(meta.get("pair_batches").asBoolean()).isTrue();
        assertThat(meta.get("losses").toString()).contains("quasid.hamr").contains("quasid.contrastive");
        JsonNode epoch = Json.read(dir.resolve("out/training.json")).get("history").get(1);
        assertThat(epoch.has("quasid.hamr/full_pairs")).isTrue();
        assertThat(epoch.has("quasid.contrastive/info_nce")).isTrue();
    }

    @Test
    void trainsWithAdaSidRecordingItsThresholdsPerDepth() {
        Cli cli = tokenize("--epochs", "2", "--plugins", "adasid", "--set", "adasid.q=[0.5,0.8]", "--set", "adasid.load=pattern");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        JsonNode epoch = Json.read(dir.resolve("out/training.json")).get("history").get(1);
        assertThat(epoch.get("adasid.collision/eta/1").asDouble()).isLessThan(epoch.get("adasid.collision/eta/2").asDouble());
        assertThat(epoch.has("adasid.collision/weight_sd")).isTrue();
        Cli bad = tokenize("--plugins", "adasid", "--set", "adasid.similarity=encoder");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("similarity = encoder is not allowed: choose one of [centred, content]");
    }

    @Test
    void theAblationSwitchesAreSettings() {
        Cli cli = tokenize("--epochs", "1", "--plugins", "quasid", "--set", "quasid.contrastive=false", "--set", "quasid.mask=false");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(Json.read(dir.resolve("out/sids.meta.json")).get("pair_batches").asBoolean()).isFalse();
        Cli bad = tokenize("--plugins", "quasid", "--set", "quasid.tau=0");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("tau = 0.0 is out of range: allowed (0, 10]");
    }

    @Test
    void anUnknownPluginFailsListingTheInstalledOnes() {
        Cli cli = tokenize("--plugins", "quasdi");
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("no plugin named 'quasdi'").contains("[adasid, quasid, rqvae]");
    }

    @Test
    void anUnknownTokenizerFailsListingTheAvailableOnes() {
        Cli cli = tokenize("--tokenizer", "vqvae");
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("no tokenizer named 'vqvae'").contains("[rqkmeans, rqvae, rqvae-rotation, simvq]");
    }

    @Test
    void aSettingOutOfRangeFailsBeforeAnythingIsRead() {
        Cli cli = tokenize("--set", "rqvae.codes=1");
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("codes (K) = 1 is out of range: allowed [2, 65536]");
        Cli unknown = tokenize("--set", "rqvae.colour=red");
        assertThat(unknown.err()).contains("'rqvae' has no setting 'colour'").contains("batch_rows");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    /** A third party's plugin: its own settings scope {@code weighted} and a loss that reports the weight it was given. */
    private static final String WEIGHTED = """
            package thirdparty;

            import io.quasid.spi.*;
            import java.util.List;
            import java.util.Map;

            public final class WeightedPlugin implements Plugin {
                public record Config(@Setting("how much the pull counts, 0..10") double weight) {
                    public Config {
                        Settings.inRange("weight", weight, 0, 10);
                    }
                }

                static final ConfigScope<Config> SCOPE = ConfigScope.of("weighted", Config.class, new Config(1));

                public String name() { return "weighted"; }
                public List<ConfigScope<?>> configs() { return List.of(SCOPE); }

                public com.google.inject.Module module(Configs configs) {
                    Config config = configs.get(SCOPE);
                    return binder -> Extensions.losses(binder).addBinding().toInstance(new SidLoss() {
                        public String name() { return "weighted.pull"; }
                        public LossTerm compute(TrainingBatch batch, io.quasid.spi.ValidPairs valid) {
                            return new LossTerm(Scalars.mul(batch.z().square().mean(), config.weight()), Map.of("weight", config.weight()));
                        }
                    });
                }
            }
            """;

    @Test
    void aPluginJarDroppedIntoAFolderIsConfiguredWithSetLikeABuiltInOne() throws IOException {
        Path plugins = dir.resolve("plugins");
        io.quasid.core.plugin.PluginJars.build(plugins, "weighted.jar", "thirdparty.WeightedPlugin", WEIGHTED);
        assertThatThrownBy(() -> Class.forName("thirdparty.WeightedPlugin")).as("not on the classpath").isInstanceOf(ClassNotFoundException.class);
        Cli cli = tokenize("--epochs", "2", "--plugin-dir", plugins.toString(), "--plugins", "weighted", "--set", "weighted.weight=0.25");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        JsonNode epoch = Json.read(dir.resolve("out/training.json")).get("history").get(1);
        assertThat(epoch.get("weighted.pull/weight").asDouble()).as("the value reached the plugin's loss").isEqualTo(0.25);
        assertThat(Json.read(dir.resolve("out/sids.meta.json")).get("plugin_settings").get("weighted.weight").asDouble()).isEqualTo(0.25);
    }

    @Test
    void aDroppedInPluginsInvalidSettingFailsBeforeTrainingWithThePluginsMessage() throws IOException {
        Path plugins = dir.resolve("plugins");
        io.quasid.core.plugin.PluginJars.build(plugins, "weighted.jar", "thirdparty.WeightedPlugin", WEIGHTED);
        Cli high = tokenize("--plugin-dir", plugins.toString(), "--plugins", "weighted", "--set", "weighted.weight=11");
        assertThat(high.exitCode()).isEqualTo(2);
        assertThat(high.err()).contains("--set weighted.weight=11: plugin 'weighted': weight = 11.0 is out of range: allowed [0.0, 10.0]");
        Cli unknown = tokenize("--plugin-dir", plugins.toString(), "--plugins", "weighted", "--set", "weighted.wieght=1");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("plugin 'weighted': 'weighted' has no setting 'wieght'; its settings are [weight]");
        assertThat(dir.resolve("out")).as("nothing trained or written").doesNotExist();
        Cli without = tokenize("--set", "weighted.weight=1");
        assertThat(without.exitCode()).as("without its jar the scope is unknown").isEqualTo(2);
        assertThat(without.err()).contains("--set weighted.weight: unknown setting").contains("quasid").contains("sasrec");
    }

    /** The rows {@code from..to} of the shop's embeddings as a file of their own, with their item list. */
    private Path embeddingsOf(int from, int to, String name) throws IOException {
        Embeddings all = Npy.read(embeddings);
        Path npy = dir.resolve(name + ".npy");
        Npy.write(npy, Embeddings.of(all.rows(from, to), to - from, all.dimension()));
        List<String> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add("p" + i);
        }
        Files.write(dir.resolve(name + ".items.txt"), ids);
        return npy;
    }

    private Cli assign(Path npy, Path published, String out) {
        List<String> args = new ArrayList<>(List.of("assign", "--model", dir.resolve("out").toString(), "--embeddings", npy.toString(),
                "--out", dir.resolve(out).toString(), "--device", "cpu"));
        if (published != null) {
            args.addAll(List.of("--published", published.toString()));
        }
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void assigningInTwoHalvesKeepsTheFirstHalfsSidsAndGivesTheSecondTheCodesOfOneAssignment() throws IOException {
        assertThat(tokenize("--epochs", "2").exitCode()).isZero();
        Cli first = assign(embeddingsOf(0, ITEMS / 2, "first"), null, "a1");
        assertThat(first.exitCode()).as(first.err()).isZero();
        Cli second = assign(embeddingsOf(0, ITEMS, "all"), dir.resolve("a1/sids.csv"), "a2");
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.json().get("published").asInt()).isEqualTo(ITEMS / 2);
        assertThat(second.json().get("added").asInt()).isEqualTo(ITEMS / 2);
        Cli once = assign(embeddingsOf(0, ITEMS, "all"), null, "once");
        assertThat(once.exitCode()).as(once.err()).isZero();
        SidTable half = SidCsv.read(dir.resolve("a1/sids.csv"));
        SidTable both = SidCsv.read(dir.resolve("a2/sids.csv"));
        SidTable all = SidCsv.read(dir.resolve("once/sids.csv")).alignedTo(both.items());
        for (int i = 0; i < both.size(); i++) {
            if (i < half.size()) {
                assertThat(both.sid(i)).isEqualTo(half.sid(i));
                assertThat(both.dedup(i)).isEqualTo(half.dedup(i));
            }
            assertThat(both.sid(i)).as(both.item(i)).isEqualTo(all.sid(i));
        }
        Cli later = assign(embeddingsOf(ITEMS / 4, ITEMS, "later"), dir.resolve("a2/sids.csv"), "a3");
        assertThat(later.json().get("added").asInt()).isZero();
        assertThat(dir.resolve("a3/sids.csv")).hasSameTextualContentAs(dir.resolve("a2/sids.csv"));
    }

    @Test
    void assignRefusesAFolderThatIsNotATokenizersAndPublishedSidsOfAnotherCodebook() throws IOException {
        assertThat(tokenize("--epochs", "1").exitCode()).isZero();
        Cli notModel = Cli.run("assign", "--model", dir.toString(), "--embeddings", embeddings.toString(), "--out", dir.resolve("a").toString());
        assertThat(notModel.exitCode()).isEqualTo(2);
        assertThat(notModel.err()).contains("is not a tokenizer's folder");
        Path other = dir.resolve("other.csv");
        Files.writeString(other, "item_id,c1,c2,c3,d\np0,1,1,1,0\n");
        Cli mismatch = assign(embeddings, other, "a");
        assertThat(mismatch.exitCode()).isEqualTo(2);
        assertThat(mismatch.err()).contains("only be extended by the tokenizer that made it");
        assertThat(dir.resolve("a")).doesNotExist();
    }

    @Test
    void aBatchLargerThanTheCatalogueFailsNamingBoth() {
        Cli cli = tokenize("--set", "rqvae.batch_rows=128");
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("batch_rows = 128 is larger than the catalogue (64 items)");
    }
}
