package io.quasid.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestItemList {
    @TempDir
    Path dir;

    /** Ids with blank lines, padding, a multi-byte id and every line ending readAllLines knows. */
    private static final String LISTED = "a1\n\n  b2 \r\nc3\rdé4\n\n\ne5\r\n f6\ng7";

    @Test
    void rangesReadFromTheirOffsetsGiveTheIdsTheWholeListGivesInOrder() throws IOException {
        Path file = dir.resolve("e.items.txt");
        Files.writeString(file, LISTED, StandardCharsets.UTF_8);
        List<String> whole = ItemList.rowIds(io.quasid.spi.Embeddings.of(new float[7], 7, 1), file);
        assertThat(whole).containsExactly("a1", "b2", "c3", "dé4", "e5", "f6", "g7");
        for (int parts = 1; parts <= 7; parts++) {
            long[] starts = ItemList.rangeStarts(7, file, parts);
            List<String> read = new ArrayList<>();
            for (int p = 0; p < parts; p++) {
                int first = 7 * p / parts;
                int count = 7 * (p + 1) / parts - first;
                read.addAll(ItemList.idsFrom(file, starts[p], count));
            }
            assertThat(read).as("%d ranges", parts).isEqualTo(whole);
        }
    }

    @Test
    void aCountThatDiffersOrBytesThatAreNotUtf8FailNamingTheFileAndTheLine() throws IOException {
        Path file = dir.resolve("e.items.txt");
        Files.writeString(file, LISTED, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ItemList.rangeStarts(8, file, 2)).isInstanceOf(InputFileException.class)
                .hasMessage(file + ": lists 7 items, the embeddings have 8 rows");
        Path bad = dir.resolve("bad.items.txt");
        Files.write(bad, new byte[] {'a', '\n', 'b', '\n', (byte) 0xC3, '(', '\n'});
        assertThatThrownBy(() -> ItemList.rangeStarts(3, bad, 1)).isInstanceOf(InputFileException.class)
                .hasMessage(bad + ":3: bytes that are not UTF-8 text");
        assertThatThrownBy(() -> ItemList.rangeStarts(1, dir.resolve("none.txt"), 1)).isInstanceOf(InputFileException.class)
                .hasMessageContaining("item list does not exist");
    }

    @Test
    void anIdGivenTwiceFailsNamingBothLinesAsAnEditorNumbersThemBlankLinesCountedAndCrLfOneEnd() throws IOException {
        Path file = dir.resolve("e.items.txt");
        Files.writeString(file, LISTED.replace("g7", "b2"), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ItemList.rowIds(io.quasid.spi.Embeddings.of(new float[7], 7, 1), file))
                .isInstanceOf(InputFileException.class)
                .hasMessage(file + ":10: item b2 is listed again (first on line 3)");
    }
}
