package io.quasid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.quasid.cli.pipeline.RunResults;
import io.quasid.core.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quasid run} on a small shop, with small budgets: every stage hands its typed result to the next in
 * one process, and {@code results.json} is their serialisation, valid against the published schema.
 */
final class TestRunPipeline {
    private static final int ITEMS = 150;
    private static final int CODES = 16;

    @TempDir
    static Path dir;

    private static Cli first;
    private static Cli second;
    private static JsonNode results;

    /** 150 items in 5 categories; 400 users each walk 4 to 8 items of one category, a few priced ones bought. */
    @BeforeAll
    static void runTwice() throws IOException {
        Path data = Files.createDirectories(dir.resolve("shop"));
        StringBuilder items = new StringBuilder("item,title,brand,categories,price\n");
        String[] kinds = {"lipstick", "shampoo", "face cream", "nail polish", "perfume"};
        for (int i = 0; i < ITEMS; i++) {
            String kind = kinds[i % kinds.length];
            items.append("p").append(i).append(',').append("Brand ").append(i % 7).append(' ').append(kind).append(" no. ").append(i).append(",Brand ")
                    .append(i % 7).append(",Beauty|").append(kind).append(',').append(i % 10 == 0 ? "" : String.valueOf(5 + i % 40)).append('\n');
        }
        StringBuilder interactions = new StringBuilder("user,item\n");
        Random random = new Random(3);
        for (int u = 0; u < 400; u++) {
            int kind = u % kinds.length;
            int length = 4 + random.nextInt(5);
            for (int k = 0; k < length; k++) {
                interactions.append('u').append(u).append(",p").append(kind + kinds.length * random.nextInt(ITEMS / kinds.length)).append('\n');
            }
        }
        Files.writeString(data.resolve("items.csv"), items);
        Files.writeString(data.resolve("interactions.csv"), interactions);
        String[] args = {"run", "--data", data.toString(), "--out", dir.resolve("out").toString(), "--device", "cpu", "--ranking-epochs", "1",
                "--retrieval-epochs", "1", "--set", "rqvae.codes=" + CODES, "--set", "rqvae.epochs=8", "--set", "rqvae.hidden=[64,32]",
                "--set", "rqkmeans.codes=" + CODES, "--set", "sasrec.dim=16", "--set", "sasrec.blocks=1", "--set", "tiger.d_model=16",
                "--set", "tiger.heads=2", "--set", "tiger.head_dim=8", "--set", "tiger.d_ff=32", "--set", "tiger.encoder_layers=1",
                "--set", "tiger.decoder_layers=1", "--set", "tiger.beam=10"};
        first = Cli.run(args);
        results = Json.read(dir.resolve("out/results.json"));
        second = Cli.run(args);
    }

    private static Schema schema() throws IOException {
        try (InputStream in = RunResults.class.getResourceAsStream(RunResults.SCHEMA)) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    @Test
    void resultsJsonIsValidAgainstTheSchemaOfItsVersion() throws IOException {
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(results.path("schema_version").asInt()).isEqualTo(RunResults.SCHEMA_VERSION);
        assertThat(schema().validate(results)).isEmpty();
    }

    @Test
    void theSchemaRejectsARenamedOrMissingKey() throws IOException {
        ObjectNode renamed = results.deepCopy();
        ObjectNode metrics = (ObjectNode) renamed.path("tokenizers").path("rqvae").path("sid_metrics");
        metrics.set("collision", metrics.remove("collision_rate"));
        assertThat(schema().validate(renamed)).isNotEmpty();
        ObjectNode missing = results.deepCopy();
        ((ObjectNode) missing.path("tokenizers").path("quasid").path("ranking")).remove("recall@10");
        assertThat(schema().validate(missing)).isNotEmpty();
    }

    @Test
    void theSidTablesCarryTheirCodebookFromTheTokenizerToEveryEvaluation() {
        for (String t : List.of("rqvae", "quasid", "adasid", "rqkmeans")) {
            JsonNode block = results.path("tokenizers").path(t);
            assertThat(block.path("sid_metrics").path("codes").asInt()).as(t).isEqualTo(CODES);
            assertThat(block.path("code_usage").get(0).size()).as(t).isEqualTo(CODES);
            assertThat(block.path("ranking").path("sids").asText()).as(t).endsWith(Path.of("tokenizers", t, "sids.csv").toString());
            assertThat(block.path("ranking").path("config").path("dim").asInt()).as("--set reaches the ranking model").isEqualTo(16);
        }
        assertThat(results.path("tokenizers").path("quasid").path("plugins")).extracting(JsonNode::asText).containsExactly("quasid");
        assertThat(results.path("tokenizers").path("quasid").path("retrieval").path("config").path("d_model").asInt()).isEqualTo(16);
        assertThat(results.path("tokenizers").path("rqkmeans").has("retrieval")).as("the retriever trains on the A/B arms' SIDs only").isFalse();
    }

    @Test
    void everyStageRanInOrderAndTheABTestServedBothArms() {
        assertThat(results.path("stages")).extracting(s -> s.path("name").asText()).containsExactly("embed", "tokenize rqvae", "tokenize quasid",
                "tokenize adasid", "tokenize rqkmeans", "ranking rqvae", "ranking quasid", "ranking adasid", "ranking rqkmeans", "retrieval rqvae",
                "retrieval quasid", "mahout rqvae", "mahout quasid", "a/b test");
        assertThat(results.path("ab").path("report").path("arms").path("control").path("users").asLong()).isPositive();
        assertThat(results.path("ab").path("report").path("arms").path("treatment").path("users").asLong()).isPositive();
    }

    @Test
    void aSecondRunReusesTheTokenizersAndReportsTheSameSids() throws IOException {
        assertThat(second.exitCode()).as(second.err()).isZero();
        JsonNode again = Json.read(dir.resolve("out/results.json"));
        for (String t : List.of("rqvae", "quasid", "adasid", "rqkmeans")) {
            assertThat(results.path("tokenizers").path(t).path("cached").asBoolean()).as(t).isFalse();
            assertThat(again.path("tokenizers").path(t).path("cached").asBoolean()).as(t).isTrue();
            assertThat(again.path("tokenizers").path(t).path("sid_metrics")).as(t).isEqualTo(results.path("tokenizers").path(t).path("sid_metrics"));
        }
        String report = Files.readString(dir.resolve("out/report.html"));
        for (String section : List.of("summary", "codes", "hamming", "training", "ranking", "retrieval", "cold", "ab", "stages")) {
            assertThat(report).contains("<section id=\"" + section + "\"");
        }
    }
}
