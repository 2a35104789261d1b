package io.quasid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quasid.core.io.Npy;
import io.quasid.spi.Embeddings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestStatsCommand {
    @TempDir
    Path dir;

    private Path sids() throws IOException {
        Path f = dir.resolve("sids.csv");
        Files.writeString(f, "item_id,c1,c2\na,0,1\nb,0,1\nc,0,2\nd,3,3\n");
        return f;
    }

    @Test
    void printsEveryMetricAsOneJsonObject() throws IOException {
        Cli cli = Cli.run("stats", "--sids", sids().toString(), "--codes", "4");
        assertThat(cli.exitCode()).isZero();
        JsonNode s = cli.json();
        assertThat(s.fieldNames()).toIterable().contains("items", "levels", "collision_rate", "max_group", "entropy_nats",
                "perplexity_mean", "perplexity_min", "utilisation", "top1_load_mean", "hamming_nearest");
        assertThat(s.get("items").asInt()).isEqualTo(4);
        assertThat(s.get("collision_rate").asDouble()).isEqualTo(0.25);
        assertThat(s.get("utilisation").get(0).asDouble()).isEqualTo(0.5);
        assertThat(s.get("hamming_nearest").toString()).isEqualTo("[2,1,1]");
        assertThat(s.has("entangled")).isFalse();
    }

    @Test
    void takesTheCodebookSizeFromTheMetadataFile() throws IOException {
        Path f = sids();
        Files.writeString(dir.resolve("sids.meta.json"), "{\"codes\": 8}");
        assertThat(Cli.run("stats", "--sids", f.toString()).json().get("codes").asInt()).isEqualTo(8);
    }

    @Test
    void countsEntangledPairsWithEmbeddingsInAnyRowOrder() throws IOException {
        Path f = sids();
        Npy.write(dir.resolve("e.npy"), Embeddings.of(new float[][] {{1, 1}, {0, 1}, {2, 0}, {1, 0}}));
        Files.writeString(dir.resolve("e.items.txt"), "d\nc\nb\na\n");
        JsonNode e = Cli.run("stats", "--sids", f.toString(), "--codes", "4", "--embeddings", dir.resolve("e.npy").toString())
                .json().get("entangled");
        assertThat(e.get("pairs_within_radius").asLong()).isEqualTo(3);
        assertThat(e.get("entangled_pairs").asLong()).isEqualTo(2);
    }

    @Test
    void badInputExitsWithTwoAndNamesFileAndLine() throws IOException {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "item_id,c1\na,1\nb,x\n");
        Cli cli = Cli.run("stats", "--sids", f.toString());
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("bad.csv:3:").contains("c1 = 'x' is not an integer code");
        assertThat(cli.out()).isEmpty();
    }

    @Test
    void embeddingsMissingAnItemFailListingIt() throws IOException {
        Path f = sids();
        Npy.write(dir.resolve("e.npy"), Embeddings.of(new float[][] {{1, 1}}));
        Files.writeString(dir.resolve("e.items.txt"), "a\n");
        Cli cli = Cli.run("stats", "--sids", f.toString(), "--embeddings", dir.resolve("e.npy").toString());
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("3 items have no embedding");
    }
}
