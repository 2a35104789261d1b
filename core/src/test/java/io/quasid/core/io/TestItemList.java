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
            long[] starts = ItemList.ranges(7, file, parts, 0, 0).starts();
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
    void theSampleIsDrawnUniformlyFromTheListedIdsInTheSamePassTheSameForASeedAndAllOfThemWhenFewer() throws IOException {
        Path file = dir.resolve("e.items.txt");
        List<String> listed = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            listed.add("i" + i);
        }
        Files.write(file, listed);
        ItemList.Ranges ranges = ItemList.ranges(10_000, file, 4, 1_000, 7);
        assertThat(ranges.starts()).isEqualTo(ItemList.ranges(10_000, file, 4, 0, 0).starts());
        assertThat(ranges.sample()).hasSize(1_000).doesNotHaveDuplicates().allMatch(new java.util.HashSet<>(listed)::contains);
        long firstHalf = ranges.sample().stream().filter(id -> Integer.parseInt(id.substring(1)) < 5_000).count();
        assertThat(firstHalf).as("ids from the first half of the file").isBetween(450L, 550L); // 500 +- 3.2 sd
        assertThat(ItemList.ranges(10_000, file, 4, 1_000, 7).sample()).isEqualTo(ranges.sample());
        assertThat(ItemList.ranges(10_000, file, 4, 1_000, 8).sample()).isNotEqualTo(ranges.sample());
        Path few = dir.resolve("few.items.txt");
        Files.writeString(few, LISTED, StandardCharsets.UTF_8);
        assertThat(ItemList.ranges(7, few, 2, 50, 1).sample()).containsExactlyInAnyOrder("a1", "b2", "c3", "dé4", "e5", "f6", "g7");
    }

    @Test
    void aCountThatDiffersOrBytesThatAreNotUtf8FailNamingTheFileAndTheLine() throws IOException {
        Path file = dir.resolve("e.items.txt");
        Files.writeString(file, LISTED, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ItemList.ranges(8, file, 2, 0, 0)).isInstanceOf(InputFileException.class)
                .hasMessage(file + ": lists 7 items, the embeddings have 8 rows");
        Path bad = dir.resolve("bad.items.txt");
        Files.write(bad, new byte[] {'a', '\n', 'b', '\n', (byte) 0xC3, '(', '\n'});
        assertThatThrownBy(() -> ItemList.ranges(3, bad, 1, 0, 0)).isInstanceOf(InputFileException.class)
                .hasMessage(bad + ":3: bytes that are not UTF-8 text");
        assertThatThrownBy(() -> ItemList.ranges(1, dir.resolve("none.txt"), 1, 0, 0)).isInstanceOf(InputFileException.class)
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
