package io.quasid.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.quasid.core.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestEvaluateCommand {
    private static final int ITEMS = 40;

    @TempDir
    Path dir;

    private Path data;
    private Path sids;

    /**
     * A CSV shop of 40 items; 60 users each walk 5 to 7 consecutive items. The SID table has 4 levels of a
     * 256-code book, as a table from elsewhere might, and items 2k and 2k + 1 share an SID.
     */
    @BeforeEach
    void shop() throws IOException {
        data = Files.createDirectories(dir.resolve("shop"));
        StringBuilder items = new StringBuilder("item,title,price\n");
        StringBuilder table = new StringBuilder("item_id,c1,c2,c3,c4\n");
        Random random = new Random(5);
        for (int i = 0; i < ITEMS; i++) {
            items.append("p").append(i).append(",Product ").append(i).append(',').append(i + 1).append('\n');
            int k = i / 2;
            table.append("p").append(i).append(',').append(k % 7).append(',').append(200 + k % 3).append(',').append(random.nextInt(256))
                    .append(',').append(255 - k).append('\n');
        }
        StringBuilder interactions = new StringBuilder("user,item\n");
        for (int u = 0; u < 60; u++) {
            for (int k = 0; k < 5 + u % 3; k++) {
                interactions.append("u").append(u).append(",p").append((u + k) % ITEMS).append('\n');
            }
        }
        Files.writeString(data.resolve("items.csv"), items);
        Files.writeString(data.resolve("interactions.csv"), interactions);
        sids = dir.resolve("sids.csv");
        Files.writeString(sids, table);
    }

    @Test
    void theGenerativeRetrieverTakesAFourLevelTableFromElsewhereAndReportsWhatTheRankerReports() {
        Cli cli = Cli.run("evaluate", "--model", "tiger", "--data", data.toString(), "--sids", sids.toString(), "--device", "cpu",
                "--epochs", "2", "--removed-share", "0.1", "--save-model", dir.resolve("model").toString(),
                "--set", "tiger.d_model=16", "--set", "tiger.heads=2", "--set", "tiger.head_dim=8", "--set", "tiger.d_ff=32",
                "--set", "tiger.encoder_layers=1", "--set", "tiger.decoder_layers=1", "--set", "tiger.beam=10");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        JsonNode out = cli.json();
        for (String key : new String[] {"recall@3", "recall@5", "recall@10", "ndcg@3", "ndcg@5", "ndcg@10"}) {
            assertThat(out.path(key).path("mean").asDouble(-1)).as(key).isBetween(0.0, 1.0);
            assertThat(out.path("validation").path(key).path("mean").asDouble(-1)).as(key).isBetween(0.0, 1.0);
        }
        assertThat(out.path("cold_start").path("bottom_decile").has("recall@10")).isTrue();
        assertThat(out.path("cold_start").path("removed_from_training").path("users").asLong()).isPositive();
        assertThat(out.path("config").path("d_model").asInt()).isEqualTo(16);
        assertThat(out.path("runs").get(0).path("epochs").asInt()).isEqualTo(2);
        assertThat(dir.resolve("model/model.json")).exists();
    }

    @Test
    void aModelChosenOnAValidationSampleStillReportsEveryUsersValidation() {
        JsonNode[] out = new JsonNode[2];
        String[] sample = {"0", "5"};
        for (int i = 0; i < 2; i++) { // one epoch: the same weights whatever validation sees
            Cli cli = Cli.run("evaluate", "--model", "tiger", "--data", data.toString(), "--sids", sids.toString(), "--device", "cpu",
                    "--epochs", "1", "--removed-share", "0", "--set", "tiger.validation_users=" + sample[i],
                    "--set", "tiger.d_model=16", "--set", "tiger.heads=2", "--set", "tiger.head_dim=8", "--set", "tiger.d_ff=32",
                    "--set", "tiger.encoder_layers=1", "--set", "tiger.decoder_layers=1", "--set", "tiger.beam=10");
            assertThat(cli.exitCode()).as(cli.err()).isZero();
            out[i] = cli.json();
        }
        assertThat(out[1].path("recall@10")).isEqualTo(out[0].path("recall@10"));
        assertThat(out[1].path("validation")).isEqualTo(out[0].path("validation"));
    }

    @Test
    void predictionsAreTheListsTheMetricsScore() throws IOException {
        for (String[] kind : new String[][] {{"tiger", "keep"}, {"tiger", "exclude"}, {"sasrec", "exclude"}}) {
            Path file = dir.resolve(kind[0] + "-" + kind[1] + ".jsonl");
            Cli cli = Cli.run("evaluate", "--model", kind[0], "--data", data.toString(), "--sids", sids.toString(), "--device", "cpu",
                    "--epochs", "2", "--removed-share", "0", "--history", kind[1], "--predictions", file.toString(),
                    "--set", "tiger.d_model=16", "--set", "tiger.heads=2", "--set", "tiger.head_dim=8", "--set", "tiger.d_ff=32",
                    "--set", "tiger.encoder_layers=1", "--set", "tiger.decoder_layers=1", "--set", "tiger.beam=10", "--set", "sasrec.dim=16",
                    "--set", "sasrec.features=sid+id"); // id features: no two items tie, so a list of 10 and a rank below 10 agree
            assertThat(cli.exitCode()).as(cli.err()).isZero();
            assertThat(cli.json().path("history").asText()).isEqualTo(kind[1]);
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                lines.add(Json.MAPPER.readTree(line));
            }
            assertThat(lines).as("one line per evaluated user").hasSize(60);
            long hits = 0;
            for (JsonNode line : lines) {
                assertThat(line.path("items")).hasSize(10);
                if (!line.path("rank").isNull()) {
                    assertThat(line.path("items").get(line.path("rank").asInt()).asText()).isEqualTo(line.path("target").asText());
                    hits++;
                }
                if (kind[1].equals("exclude")) { // user u walks p(u)..: the items before its test target are its history
                    int u = Integer.parseInt(line.path("user").asText().substring(1));
                    List<String> history = new ArrayList<>();
                    for (int k = 0; k < 5 + u % 3 - 1; k++) {
                        history.add("p" + (u + k) % ITEMS);
                    }
                    assertThat(line.path("items").toString()).as(line.toString()).doesNotContain(history.stream().map(h -> "\"" + h + "\"").toArray(String[]::new));
                }
            }
            assertThat((double) hits / lines.size()).as(kind[0] + " " + kind[1]).isCloseTo(cli.json().path("recall@10").path("mean").asDouble(), within(1e-9));
        }
    }

    @Test
    void anUnknownModelKindIsRefusedNamingTheKinds() {
        Cli cli = Cli.run("evaluate", "--model", "gpt", "--data", data.toString(), "--sids", sids.toString());
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("model = gpt").contains("tiger");
    }
}
