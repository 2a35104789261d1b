package io.quasid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input a user gets wrong: exit 2, one line naming the file (and line or setting), nothing written. */
final class TestBadInput {
    @TempDir
    Path dir;

    private Path shop() throws IOException {
        Path data = Files.createDirectories(dir.resolve("shop"));
        Files.writeString(data.resolve("items.csv"), "item,title\na,A\nb,B\nc,C\n");
        Files.writeString(data.resolve("interactions.csv"), "user,item\nu1,a\nu1,b\nu1,c\nu2,b\nu2,c\nu2,a\n");
        return data;
    }

    private static void refused(Cli cli, String... says) {
        assertThat(cli.exitCode()).as(cli.err()).isEqualTo(2);
        assertThat(cli.err()).startsWith("quasid: ").doesNotContain("\tat ").contains(says);
    }

    @Test
    void evaluateRefusesASidCodeOutsideTheCodebook() throws IOException {
        Path sids = dir.resolve("sids.csv");
        Files.writeString(sids, "item_id,c1,c2\na,0,1\nb,1,9\nc,2,2\n");
        Files.writeString(dir.resolve("sids.meta.json"), "{\"codes\": 4}");
        refused(Cli.run("evaluate", "--data", shop().toString(), "--sids", sids.toString(), "--epochs", "1"),
                "sids.csv:3:", "c2 = 9 is out of range");
    }

    @Test
    void statsRefusesACodebookSizeSmallerThanTheTable() throws IOException {
        Path sids = dir.resolve("sids.csv");
        Files.writeString(sids, "item_id,c1\na,0\nb,7\n");
        refused(Cli.run("stats", "--sids", sids.toString(), "--codes", "4"), "--codes = 4 is out of range", "codes up to 7");
    }

    @Test
    void aMalformedListSettingNamesItsKey() throws IOException {
        refused(Cli.run("tokenize", "--data", shop().toString(), "--set", "rqvae.hidden=[256,", "--out", dir.resolve("t").toString()),
                "--set rqvae.hidden=[256,", "malformed list");
    }

    @Test
    void aSettingOfTheWrongTypeNamesItsKey() throws IOException {
        refused(Cli.run("tokenize", "--data", shop().toString(), "--set", "rqvae.codes=many", "--out", dir.resolve("t").toString()),
                "--set rqvae.codes");
    }

    @Test
    void tokenizeRefusesAnOutputFolderHoldingOtherFiles() throws IOException {
        Path out = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(out.resolve("notes.txt"), "keep me");
        refused(Cli.run("tokenize", "--data", shop().toString(), "--tokenizer", "rqkmeans", "--out", out.toString()),
                "holds files that are not a tokenizer's outputs [notes.txt]");
        assertThat(out.resolve("notes.txt")).hasContent("keep me");
    }

    @Test
    void runWithAMissingDataFolderWritesNothing() {
        Path out = dir.resolve("out");
        refused(Cli.run("run", "--data", dir.resolve("nope").toString(), "--out", out.toString()), "nope", "data folder does not exist");
        assertThat(out).doesNotExist();
    }
}
