package io.quasid.ranking.sasrec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.quasid.core.data.Catalogue;
import io.quasid.core.data.Dataset;
import io.quasid.core.data.Item;
import io.quasid.core.data.LeaveOneOutSplit;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

final class TestSasRec {
    private static final int ITEMS = 30;

    /** Every user walks the catalogue in order from a different start: the next item is always the current one + 1. */
    private static LeaveOneOutSplit walks() {
        List<Item> items = IntStream.range(0, ITEMS).mapToObj(i -> new Item("i" + i, "", "", List.of(), 1)).toList();
        int users = 90;
        int[][] sequences = new int[users][];
        for (int u = 0; u < users; u++) {
            int start = u % ITEMS;
            sequences[u] = IntStream.range(0, 6 + u % 3).map(k -> (start + k) % ITEMS).toArray();
        }
        return new LeaveOneOutSplit(new Dataset("walks", new Catalogue(items), IntStream.range(0, users).mapToObj(u -> "u" + u).toList(),
                sequences));
    }

    /** SIDs (i mod 6, i div 6): unique per item. */
    private static int[][] sids() {
        return IntStream.range(0, ITEMS).mapToObj(i -> new int[] {i % 6, i / 6}).toArray(int[][]::new);
    }

    private static final SasRecConfig TINY = new SasRecConfig(Features.SID, 32, 1, 8, 0.0, 1e-2, 0, 32, 80, 80);

    @Test
    void overfitsATinyDataSetToNearPerfectRecall() {
        for (Features f : Features.values()) {
            SasRecTrainer.Trained t = new SasRecTrainer(TINY.with(f), walks(), sids(), 6).fit(Device.cpu(), 1);
            try (SasRecModel model = t.model()) {
                var test = model.evaluate(walks(), true, null).values();
                assertThat(test.get("recall@10")).as(f.label()).isGreaterThanOrEqualTo(0.95);
                assertThat(test.get("ndcg@10")).as(f.label()).isGreaterThanOrEqualTo(0.8);
            }
        }
    }

    @Test
    void featuresAreNamedAsOnTheCommandLine() {
        assertThat(Features.of("sid+id")).isEqualTo(Features.SID_ID);
        assertThatThrownBy(() -> Features.of("text")).hasMessageContaining("choose one of [sid, id, sid+id]");
    }
}
