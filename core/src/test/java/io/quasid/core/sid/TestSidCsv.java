package io.quasid.core.sid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quasid.core.io.InputFileException;
import io.quasid.spi.Sid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestSidCsv {
    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path f = dir.resolve("sids.csv");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void roundTripsATable() {
        SidTable t = SidTable.fitted(List.of("a", "b"), new Sid[] {Sid.of(1, 2, 3), Sid.of(0, 0, 255)});
        Path f = dir.resolve("sids.csv");
        SidCsv.write(f, t);
        assertThat(f).hasContent("item_id,c1,c2,c3,d\na,1,2,3,0\nb,0,0,255,0");
        SidTable back = SidCsv.read(f);
        assertThat(back.items()).containsExactly("a", "b");
        assertThat(back.sid(1)).isEqualTo(Sid.of(0, 0, 255));
    }

    @Test
    void keepsTheDeduplicationCodesItIsGivenAndNumbersThemInItemIdOrderOtherwise() throws IOException {
        SidTable given = SidCsv.read(file("item_id,c1,c2,d\nb,1,2,0\na,1,2,3\nc,4,4,0\n"));
        assertThat(given.dedup(0)).isZero();
        assertThat(given.dedup(1)).isEqualTo(3);
        SidTable numbered = SidCsv.read(file("item_id,c1,c2\nb,1,2\na,1,2\nc,4,4\n"));
        assertThat(numbered.dedup(0)).as("b after a").isEqualTo(1);
        assertThat(numbered.dedup(1)).isZero();
        assertThat(numbered.dedup(2)).isZero();
    }

    @Test
    void refusesTwoItemsWithOneSidAndOneDeduplicationCode() throws IOException {
        Path f = file("item_id,c1,c2,d\na,1,2,0\nb,1,2,0\n");
        assertThatThrownBy(() -> SidCsv.read(f)).isInstanceOf(InputFileException.class).hasMessageContaining("sids.csv")
                .hasMessageContaining("items a and b share SID").hasMessageContaining("de-duplication code 0");
        Path g = file("item_id,c1,d\na,1,x\n");
        assertThatThrownBy(() -> SidCsv.read(g)).hasMessageContaining("sids.csv:2:").hasMessageContaining("d = 'x' is not an integer");
    }

    @Test
    void requiresTheHeader() throws IOException {
        Path f = file("a,1,2\n");
        assertThatThrownBy(() -> SidCsv.read(f)).isInstanceOf(InputFileException.class)
                .hasMessageContaining("sids.csv:1:").hasMessageContaining("item_id,c1,...,cL");
        Path g = file("item_id,c1,c3\na,1,2\n");
        assertThatThrownBy(() -> SidCsv.read(g)).hasMessageContaining("must be 'c2'");
    }

    @Test
    void reportsTheLineOfARaggedRow() throws IOException {
        Path f = file("item_id,c1,c2\na,1,2\nb,1\n");
        assertThatThrownBy(() -> SidCsv.read(f)).hasMessageContaining("sids.csv:3:").hasMessageContaining("expected 3 fields");
    }

    @Test
    void reportsTheLineAndLevelOfANonIntegerCode() throws IOException {
        Path f = file("item_id,c1,c2\na,1,2\nb,1,2.5\n");
        assertThatThrownBy(() -> SidCsv.read(f)).hasMessageContaining("sids.csv:3:").hasMessageContaining("c2 = '2.5' is not an integer");
    }

    @Test
    void rejectsNegativeCodesAndDuplicateItems() throws IOException {
        Path f = file("item_id,c1\na,-1\n");
        assertThatThrownBy(() -> SidCsv.read(f)).hasMessageContaining("negative");
        Path g = file("item_id,c1\na,1\na,2\n");
        assertThatThrownBy(() -> SidCsv.read(g)).hasMessageContaining("sids.csv:3:").hasMessageContaining("already has an SID on line 2");
    }

    @Test
    void rejectsAnEmptyTable() throws IOException {
        Path f = file("item_id,c1\n");
        assertThatThrownBy(() -> SidCsv.read(f)).hasMessageContaining("no SIDs");
        Path g = file("");
        assertThatThrownBy(() -> SidCsv.read(g)).hasMessageContaining("empty file");
    }

    @Test
    void namesTheMetadataFileAfterTheTable() {
        assertThat(SidCsv.metadataFile(Path.of("out/sids.csv"))).isEqualTo(Path.of("out/sids.meta.json"));
    }

    @Test
    void refusesACodeOutsideTheDeclaredCodebook() throws IOException {
        Path f = file("item_id,c1,c2\na,1,2\nb,3,4\n");
        Files.writeString(dir.resolve("sids.meta.json"), "{\"codes\": 4}");
        assertThatThrownBy(() -> SidCsv.read(f)).isInstanceOf(InputFileException.class).hasMessageContaining("sids.csv:3:")
                .hasMessageContaining("c2 = 4 is out of range: the codebook has 4 codes, 0..3");
    }

    @Test
    void refusesACodeTooLargeForAnyCodebook() throws IOException {
        Path f = file("item_id,c1,c2\na,2147483646,1\n");
        assertThatThrownBy(() -> SidCsv.read(f)).isInstanceOf(InputFileException.class).hasMessageContaining("sids.csv:2:")
                .hasMessageContaining("c1 = 2147483646 is out of range: codes are below " + SidCsv.MAX_CODES);
    }

    @Test
    void refusesADeclaredCodebookSizeOutOfRange() throws IOException {
        Path f = file("item_id,c1\na,1\n");
        Files.writeString(dir.resolve("sids.meta.json"), "{\"codes\": 0}");
        assertThatThrownBy(() -> SidCsv.read(f)).isInstanceOf(InputFileException.class).hasMessageContaining("sids.meta.json")
                .hasMessageContaining("codes = 0 is out of range");
    }
}
