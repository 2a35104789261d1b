package io.quasid.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code quasid run --quick} end to end, as a user runs it ({@code java -jar quasid.jar}), on a subset of
 * Amazon Beauty written as a CSV data set: results.json has every block with sane values, and
 * report.html opens in headless Chromium with its charts (a screenshot stays in target/quick-run).
 */
final class TestQuickPipeline {
    private static final Path OUT = Path.of(System.getProperty("quasid.run.dir", "target/quick-run"));
    private static JsonNode results;

    @BeforeAll
    static void run() throws Exception {
        Path jar = Path.of(System.getProperty("quasid.cli.jar", "../cli/target/quasid.jar"));
        assertThat(jar).as("the packaged command line; build the cli module first").exists();
        Path data = Path.of(System.getProperty("quasid.data.dir", "../../shared/data")).resolve("amazon-beauty");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                "-Dquasid.progress=false", "-jar", jar.toString(), "run", "--quick", "--data", data.toString(), "--out", OUT.toString())
                .redirectErrorStream(true).redirectOutput(OUT.resolveSibling("quick-run.log").toFile()).start();
        assertThat(p.waitFor(15, TimeUnit.MINUTES)).as("quick run finished").isTrue();
        assertThat(p.exitValue()).as("exit code; see " + OUT.resolveSibling("quick-run.log")).isZero();
        results = new ObjectMapper().readTree(OUT.resolve("results.json").toFile());
    }

    @Test
    void everyTokenizerHasSidMetricsTrainingAndRanking() {
        for (String t : List.of("rqvae", "quasid", "adasid", "rqkmeans")) {
            JsonNode b = results.path("tokenizers").path(t);
            assertThat(b.path("sid_metrics").path("collision_rate").asDouble(-1)).as(t).isBetween(0.0, 1.0);
            assertThat(b.path("sid_metrics").path("entropy_nats").asDouble()).as(t).isPositive();
            assertThat(b.path("training").path("history").size() > 0).as(t + " has a training history").isEqualTo(!t.equals("rqkmeans"));
            assertThat(b.path("code_usage").size()).as(t).isEqualTo(3);
            assertThat(b.path("ranking").path("recall@10").path("mean").asDouble(-1)).as(t).isBetween(0.0, 1.0);
            assertThat(b.path("ranking").path("cold_start").has("removed_from_training")).as(t).isEqualTo(List.of("rqvae", "quasid").contains(t));
        }
    }

    @Test
    void theGenerativeRetrieverRanOnTheAbArmsSidsOnly() {
        for (String t : List.of("rqvae", "quasid", "adasid", "rqkmeans")) {
            JsonNode g = results.path("tokenizers").path(t).path("retrieval");
            assertThat(g.isMissingNode()).as(t).isEqualTo(!List.of("rqvae", "quasid").contains(t));
            if (!g.isMissingNode()) {
                assertThat(g.path("model").asText()).isEqualTo("tiger");
                assertThat(g.path("recall@10").path("mean").asDouble(-1)).as(t).isBetween(0.0, 1.0);
                assertThat(g.path("cold_start").path("bottom_decile").path("users").asLong()).as(t).isPositive();
                assertThat(g.path("runs").path(0).path("epochs").asInt()).as(t).isEqualTo(1);
            }
        }
    }

    @Test
    void pairStepsHoldCatalogueRowsAfterThePairs() {
        for (String t : List.of("quasid", "adasid")) {
            JsonNode model = results.path("tokenizers").path(t).path("model");
            assertThat(model.path("pair_batches").asBoolean()).as(t).isTrue();
            assertThat(model.path("config").path("item_rows").asInt()).as(t).isEqualTo(768);
        }
        JsonNode history = results.path("tokenizers").path("adasid").path("training").path("history");
        JsonNode lastAdaSid = history.path(history.size() - 1);
        assertThat(lastAdaSid.path("adasid.collision/eta/1").asDouble(Double.NaN)).isLessThan(lastAdaSid.path("adasid.collision/eta/3").asDouble());
    }

    @Test
    void theMahoutBlockComparesPlainTasteWithTheSidHosts() {
        JsonNode m = results.path("mahout");
        assertThat(m.path("plain Taste").path("recall@10").path("mean").asDouble(-1)).isBetween(0.0, 1.0);
        // through SIDs the host reaches items absent from its training data; plain Taste cannot
        assertThat(m.path("Taste + quasid SIDs").path("cold_start").path("removed_from_training").path("items_recommended").asInt(-1))
                .isPositive();
        assertThat(m.path("plain Taste").path("cold_start").path("removed_from_training").path("items_recommended").asInt(-1)).isZero();
    }

    @Test
    void theAbTestServedBothArmsWithoutErrors() {
        JsonNode ab = results.path("ab");
        assertThat(ab.path("replay").path("errors").asLong(-1)).isZero();
        assertThat(ab.path("report").path("arms").path("control").path("users").asLong()).isPositive();
        assertThat(ab.path("report").path("arms").path("treatment").path("users").asLong()).isPositive();
        assertThat(ab.path("report").path("lifts").has("gmv_per_user")).isTrue();
        assertThat(results.path("stages").size()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void theReportOpensInHeadlessChromiumWithItsCharts() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        Assumptions.assumeTrue(Files.isExecutable(chromium), "Chromium is not installed (Debian package chromium; .ci/run installs it): not checked");
        Path report = OUT.resolve("report.html").toAbsolutePath();
        Path dom = OUT.resolve("report.dom.html");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", report.toUri().toString())
                .redirectOutput(dom.toFile()).redirectError(OUT.resolve("chromium.log").toFile()).start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String html = Files.readString(dom);
        for (String section : List.of("summary", "codes", "hamming", "training", "ranking", "retrieval", "cold", "ab", "stages")) {
            assertThat(html).as(section).contains("<section id=\"" + section + "\"");
        }
        assertThat(html).contains("128 pairs + 768 catalogue rows").contains("adasid: SeAR gate and LAS weights");
        long charts = html.split("<svg class=\"chart", -1).length - 1;
        assertThat(charts).isGreaterThanOrEqualTo(10);
        assertThat(html).contains("<polyline class=\"line\"").contains("<rect class=\"bar\"").contains("<svg class=\"chart forest\""); // estimates only where lifts are defined
        Path png = OUT.resolve("report.png");
        Process shot = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--window-size=1280,5200", "--screenshot=" + png.toAbsolutePath(), report.toUri().toString())
                .redirectErrorStream(true).redirectOutput(OUT.resolve("chromium-shot.log").toFile()).start();
        assertThat(shot.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(png).exists();
        assertThat(Files.size(png)).isGreaterThan(10_000);
    }
}
