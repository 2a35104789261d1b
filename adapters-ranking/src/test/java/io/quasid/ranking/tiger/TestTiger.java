package io.quasid.ranking.tiger;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.quasid.core.data.Catalogue;
import io.quasid.core.data.Dataset;
import io.quasid.core.data.Item;
import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.spi.CodebookShape;
import io.quasid.spi.Sid;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestTiger {
    private static final int ITEMS = 30;

    /** Every user walks the catalogue in order from a different start: item i is always followed by item i + 1. */
    private static LeaveOneOutSplit walks() {
        List<Item> items = IntStream.range(0, ITEMS).mapToObj(i -> new Item("i" + (char) ('a' + i), "", "", List.of(), 1)).toList();
        int users = 90;
        int[][] sequences = new int[users][];
        for (int u = 0; u < users; u++) {
            int start = u % ITEMS;
            sequences[u] = IntStream.range(0, 6 + u % 3).map(k -> (start + k) % ITEMS).toArray();
        }
        return new LeaveOneOutSplit(new Dataset("walks", new Catalogue(items), IntStream.range(0, users).mapToObj(u -> "u" + u).toList(),
                sequences));
    }

    /** SIDs (i mod 5, (i div 5) mod 3): every SID is shared by two items, told apart only by the de-duplication code. */
    private static Sid[] sids() {
        return IntStream.range(0, ITEMS).mapToObj(i -> Sid.of(i % 5, (i / 5) % 3)).toArray(Sid[]::new);
    }

    private static final TigerConfig TINY = TigerConfig.DEFAULTS.toBuilder().dModel(32).heads(2).headDim(16).dFf(64).encoderLayers(1)
            .decoderLayers(1).dropout(0).maxLength(5).learningRate(3e-3).batchSize(16).maxEpochs(20).patience(20).beam(10).build();

    private static List<int[]> testHistories(LeaveOneOutSplit split, List<Integer> targets) {
        List<int[]> histories = new ArrayList<>();
        for (int u = 0; u < split.dataset().userCount(); u++) {
            histories.add(split.testHistory(u, 5));
            targets.add(split.testTarget(u));
        }
        return histories;
    }

    @Test
    void learnsAToySequenceTaskToARecallAtOneOfOne(@TempDir Path dir) {
        LeaveOneOutSplit split = walks();
        TigerTrainer.Trained trained = new TigerTrainer(TINY, split, sids(), new CodebookShape(2, 5)).fit(Device.cpu(), 1);
        List<Integer> targets = new ArrayList<>();
        List<int[]> histories = testHistories(split, targets);
        try (TigerModel model = trained.model()) {
            List<List<BeamSearch.Scored>> top = model.recommend(histories, 1);
            for (int u = 0; u < histories.size(); u++) {
                assertThat(top.get(u).get(0).item()).as("user %d", u).isEqualTo(targets.get(u));
            }
            assertThat(model.evaluate(split, true, null).values().get("recall@3")).isEqualTo(1.0);
            model.save(dir.resolve("model"));
            try (TigerModel loaded = TigerModel.load(dir.resolve("model"), Device.cpu())) {
                List<List<BeamSearch.Scored>> again = loaded.recommend(histories, 5);
                List<List<BeamSearch.Scored>> before = model.recommend(histories, 5);
                for (int u = 0; u < histories.size(); u++) {
                    assertThat(again.get(u)).extracting(BeamSearch.Scored::item)
                            .containsExactlyElementsOf(before.get(u).stream().map(BeamSearch.Scored::item).toList());
                }
            }
        }
    }

    @Test
    void everyTrainingPositionIsAnExampleWithAtMostMaxLengthItemsBefore() {
        List<TigerTrainer.Example> examples = new TigerTrainer(TINY, walks(), sids(), new CodebookShape(2, 5)).examples();
        // user u has 6 + u % 3 items, 4 + u % 3 of them in training: 3 + u % 3 examples each
        assertThat(examples).hasSize(IntStream.range(0, 90).map(u -> 3 + u % 3).sum());
        assertThat(examples).allSatisfy(e -> assertThat(e.history().length).isBetween(1, 5));
        assertThat(examples).allSatisfy(e -> assertThat(e.target()).isEqualTo((e.history()[e.history().length - 1] + 1) % ITEMS));
    }
}
