package io.quasid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.core.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestEmbedCommand {
    @TempDir
    Path dir;

    @Test
    void embedsEveryItemOnceAndThenServesTheCache() throws IOException {
        Path data = Files.createDirectories(dir.resolve("shop"));
        Files.writeString(data.resolve("items.csv"), "item,title,brand,categories,price\n"
                + "s1,Rose soap,Acme,Beauty|Bath,3\ns2,Hair gel,,Beauty|Hair,\ns3,Mascara,Glow,Beauty|Makeup,9.5\n");
        Files.writeString(data.resolve("interactions.csv"), "user,item\nu1,s1\nu1,s2\nu2,s3\n");
        Path out = dir.resolve("emb/shop.npy");
        String[] args = {"embed", "--data", data.toString(), "--out", out.toString(), "--cache", dir.resolve("cache").toString(), "--threads", "2"};

        Cli first = Cli.run(args);
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.json().get("from_cache").asBoolean()).isFalse();
        assertThat(Npy.read(out).rows()).isEqualTo(3);
        assertThat(Npy.read(out).dimension()).isEqualTo(384);
        assertThat(Files.readAllLines(dir.resolve("emb/shop.items.txt"))).containsExactly("s1", "s2", "s3");

        Cli second = Cli.run(args);
        assertThat(second.json().get("from_cache").asBoolean()).isTrue();
    }

    @Test
    void aMissingDataFolderExitsWithTwo() {
        Cli cli = Cli.run("embed", "--data", dir.resolve("none").toString(), "--out", dir.resolve("x.npy").toString());
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("none").contains("does not exist");
        assertThat(dir.resolve("x.npy")).doesNotExist();
    }
}
