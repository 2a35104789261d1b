package io.quasid.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.Partitioner;
import org.junit.jupiter.api.Test;

/** The ranges a {@code .npy} input's sort uses, cut from a sample of the ids. */
final class TestItemRanges {
    @Test
    void rangesFromASampleHoldConsecutiveIdsOfAboutEqualShareEqualIdsInOne() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 9_000; i++) {
            ids.add("i" + i);
        }
        List<String> sample = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += 9) { // every ninth id: an even sample
            sample.add(ids.get(i));
        }
        Partitioner ranges = SidNumbering.byItem(sample, 3);
        assertThat(ranges.numPartitions()).isEqualTo(3);
        int[] held = new int[3];
        String[] highest = new String[3];
        String[] lowest = new String[3];
        for (String id : ids) {
            int p = ranges.getPartition(id);
            assertThat(ranges.getPartition(new String(id))).as("an equal id").isEqualTo(p);
            held[p]++;
            highest[p] = highest[p] == null || id.compareTo(highest[p]) > 0 ? id : highest[p];
            lowest[p] = lowest[p] == null || id.compareTo(lowest[p]) < 0 ? id : lowest[p];
        }
        for (int p = 0; p < 3; p++) {
            assertThat(held[p]).as("range %d", p).isBetween(2_900, 3_100);
            if (p > 0) {
                assertThat(lowest[p]).as("range %d starts after range %d ends", p, p - 1).isGreaterThan(highest[p - 1]);
            }
        }
        assertThat(SidNumbering.byItem(List.of("b", "b", "b"), 4).numPartitions()).as("one distinct id: one bound").isEqualTo(2);
        assertThat(SidNumbering.byItem(List.of(), 4).numPartitions()).isEqualTo(1);
        assertThat(SidNumbering.byItem(sample, 3)).isEqualTo(ranges);
    }
}
