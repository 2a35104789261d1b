package io.quasid.ranking.sasrec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.quasid.core.data.Catalogue;
import io.quasid.core.data.Dataset;
import io.quasid.core.data.Item;
import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.core.ranking.RankingMetrics;
import io.quasid.ranking.HistoryRule;
import io.quasid.core.sid.SidTable;
import io.quasid.spi.CodebookShape;
import io.quasid.spi.Sid;
import java.util.Arrays;
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
    private static SidTable sids() {
        return table(IntStream.range(0, ITEMS).mapToObj(i -> Sid.of(i % 6, i / 6)).toArray(Sid[]::new));
    }

    /** The catalogue's items with {@code sids}, 6 codes a level. */
    private static SidTable table(Sid[] sids) {
        return new SidTable(IntStream.range(0, ITEMS).mapToObj(i -> "i" + i).toList(), sids, new CodebookShape(2, 6));
    }

    private static final SasRecConfig TINY = SasRecConfig.DEFAULTS.toBuilder().dim(32).blocks(1).maxLength(8)
            .dropout(0.0).learningRate(1e-2).batchSize(32).maxEpochs(80).patience(80).sidPrefixes(false).build();

    @Test
    void overfitsATinyDataSetToNearPerfectRecall() {
        for (Features f : Features.values()) {
            SasRecTrainer.Trained t = new SasRecTrainer(TINY.with(f), walks(), sids()).fit(Device.cpu(), 1);
            try (SasRecModel model = t.model()) {
                var test = model.evaluate(walks(), true, null, HistoryRule.KEEP).values();
                assertThat(test.get("recall@10")).as(f.label()).isGreaterThanOrEqualTo(0.95);
                assertThat(test.get("ndcg@10")).as(f.label()).isGreaterThanOrEqualTo(0.8);
            }
        }
    }

    private static float[][] scoresWithout(int item, Features features) {
        LeaveOneOutSplit without = walks().withoutTraining(new int[] {item});
        SasRecConfig fewEpochs = SasRecConfig.DEFAULTS.toBuilder().features(features).dim(16).blocks(1).maxLength(8)
                .dropout(0.0).learningRate(1e-2).batchSize(32).maxEpochs(5).patience(5).build();
        try (SasRecModel model = new SasRecTrainer(fewEpochs, without, sids()).fit(Device.cpu(), 1).model()) {
            return model.servingScores(IntStream.range(0, 10).mapToObj(h -> new int[] {h, h + 1}).toList());
        }
    }

    @Test
    void anItemNewByIdAloneScoresZero() {
        for (float[] scores : scoresWithout(7, Features.ID)) {
            assertThat(scores[7]).isZero();
            assertThat(scores[8]).isNotZero();
        }
    }

    @Test
    void anItemNewToTheModelIsScoredByTheSidRowsItSharesWithTrainedItems() {
        for (float[] scores : scoresWithout(7, Features.SID)) {
            assertThat(scores[7]).isNotZero();
        }
    }

    /** The catalogue grown by {@code "new"} with {@code sid}, as the A/B service grows it. */
    private static SidTable grownBy(SidTable table, Sid sid) {
        return io.quasid.core.sid.StableAssignment.extend(table, new SidTable(List.of("new"), new Sid[] {sid}, table.shape())).table();
    }

    @Test
    void anAddedItemIsScoredAtOnceFromItsSidRowsAndAPrefixNoTrainedItemHasAddsNothing() {
        SasRecConfig config = SasRecConfig.DEFAULTS.toBuilder().dim(16).blocks(1).maxLength(8).dropout(0.0).learningRate(1e-2).batchSize(32)
                .maxEpochs(3).patience(3).build(); // SID features with prefix tables
        // SIDs (i mod 6, i div 6) use level-2 codes 0..4 only: (3, 5) is a new prefix whose codes the catalogue has
        SidTable own = sids();
        try (SasRecModel model = new SasRecTrainer(config, walks(), own).fit(Device.cpu(), 1).model()) {
            List<int[]> histories = List.of(new int[] {4, 5}, new int[] {10, 11, 12});
            float[][] before = model.servingScores(histories);
            model.addItems(grownBy(own, Sid.of(3, 2))); // the SID of i15: the same rows
            float[][] after = model.servingScores(histories);
            assertThat(model.sids().size()).isEqualTo(ITEMS + 1);
            assertThat(model.sids().item(ITEMS)).isEqualTo("new");
            for (int b = 0; b < histories.size(); b++) {
                assertThat(after[b]).hasSize(ITEMS + 1);
                assertThat(Arrays.copyOf(after[b], ITEMS)).as("the trained items' scores do not move").usingComparatorWithPrecision(1e-5f)
                        .containsExactly(before[b]);
                // the same vector as i15, scored in another matrix product: equal up to float rounding
                assertThat(after[b][ITEMS]).isCloseTo(before[b][15], org.assertj.core.api.Assertions.within(1e-5f * Math.max(1, Math.abs(before[b][15]))));
            }
            List<List<io.quasid.ranking.Scored>> lists = model.recommend(List.of(new int[] {ITEMS}), 3, HistoryRule.KEEP);
            assertThat(lists.get(0)).hasSize(3); // a history holding the new item is served too
        }
    }

    @Test
    void anAddedItemOnAPrefixNoTrainedItemHasIsTheSumOfItsCodeRows() {
        SasRecConfig config = SasRecConfig.DEFAULTS.toBuilder().dim(8).blocks(1).maxLength(4).build(); // with prefix tables
        // level-2 codes of (i mod 6, i div 6) are 0..4: (3, 5) has known codes and a new prefix
        try (SasRecNetwork network = new SasRecNetwork(config, sids(), new boolean[ITEMS], Device.cpu(), 1)) {
            float[] vectors = network.itemVectors(grownBy(sids(), Sid.of(3, 5))).toFloatArray();
            float[] code1 = network.parameters().get("sid.1").get(3).toFloatArray();
            float[] code2 = network.parameters().get("sid.2").get(5).toFloatArray();
            float[] trained = network.itemVectors().toFloatArray();
            for (int k = 0; k < 8; k++) {
                assertThat(vectors[ITEMS * 8 + k]).isCloseTo(code1[k] + code2[k], org.assertj.core.api.Assertions.within(1e-6f));
                assertThat(vectors[15 * 8 + k]).as("a trained item keeps its vector").isEqualTo(trained[15 * 8 + k]);
            }
        }
    }

    @Test
    void aModelOnIdFeaturesAloneRefusesNewItemsAndATableThatDoesNotExtendItsOwnIsRefused() {
        SasRecConfig config = SasRecConfig.DEFAULTS.toBuilder().features(Features.ID).dim(8).blocks(1).maxLength(4).dropout(0.0).batchSize(32)
                .maxEpochs(1).patience(1).build();
        try (SasRecModel model = new SasRecTrainer(config, walks(), sids()).fit(Device.cpu(), 1).model()) {
            assertThatThrownBy(() -> model.addItems(grownBy(sids(), Sid.of(0, 0))))
                    .hasMessageContaining("id features alone cannot score items new to it");
        }
        try (SasRecModel model = new SasRecTrainer(config.toBuilder().features(Features.SID).build(), walks(), sids()).fit(Device.cpu(), 1).model()) {
            Sid[] swapped = sids().sids();
            swapped[0] = Sid.of(5, 4);
            assertThatThrownBy(() -> model.addItems(table(swapped))).hasMessage("row 1 (item i0) differs: a catalogue only grows by new items after its own");
            assertThat(model.sids().size()).isEqualTo(ITEMS);
        }
    }

    @Test
    void prefixTablesAddOneRowPerPrefixInTheCatalogueFromLevelTwo() {
        SasRecConfig codes = SasRecConfig.DEFAULTS.toBuilder().dim(8).blocks(1).maxLength(4)
                .dropout(0.0).learningRate(1e-2).batchSize(32).maxEpochs(1).patience(1).sidPrefixes(false).build();
        // SIDs (i mod 6, i div 6): 6 codes at level 1; at level 2, 5 codes but 30 distinct prefixes
        try (SasRecNetwork byCode = new SasRecNetwork(codes, sids(), new boolean[ITEMS], Device.cpu(), 1);
             SasRecNetwork byPrefix = new SasRecNetwork(SasRecConfig.DEFAULTS.toBuilder().dim(8).blocks(1).maxLength(4)
                     .dropout(0.0).learningRate(1e-2).batchSize(32).maxEpochs(1).patience(1).build(), sids(),
                     new boolean[ITEMS], Device.cpu(), 1)) {
            assertThat(byCode.parameters().get("sid.2").getShape().get(0)).isEqualTo(6);
            assertThat(byCode.parameters()).doesNotContainKey("prefix.2");
            assertThat(byPrefix.parameters().get("sid.1").getShape().get(0)).isEqualTo(6);
            assertThat(byPrefix.parameters().get("sid.2").getShape().get(0)).isEqualTo(6);
            assertThat(byPrefix.parameters().get("prefix.2").getShape().get(0)).isEqualTo(ITEMS);
        }
    }

    @Test
    void sidPrefixTablesOverfitATinyDataSetToo() {
        SasRecConfig prefixes = SasRecConfig.DEFAULTS.toBuilder().dim(32).blocks(1).maxLength(8)
                .dropout(0.0).learningRate(1e-2).batchSize(32).maxEpochs(80).patience(80).build();
        try (SasRecModel model = new SasRecTrainer(prefixes, walks(), sids()).fit(Device.cpu(), 1).model()) {
            var test = model.evaluate(walks(), true, null, HistoryRule.KEEP).values();
            assertThat(test.get("recall@10")).isGreaterThanOrEqualTo(0.95);
            assertThat(test.get("ndcg@10")).isGreaterThanOrEqualTo(0.8);
        }
    }

    @Test
    void ranksCountedOnTheDeviceAreTheRanksOfTheScoresTiesIncluded() {
        // SIDs (i mod 6, 0): five items share each SID, so SID features tie them
        SidTable shared = table(IntStream.range(0, ITEMS).mapToObj(i -> Sid.of(i % 6, 0)).toArray(Sid[]::new));
        SasRecConfig twoEpochs = SasRecConfig.DEFAULTS.toBuilder().dim(16).blocks(1).maxLength(8)
                .dropout(0.0).learningRate(1e-2).batchSize(32).maxEpochs(2).patience(2).sidPrefixes(false).build();
        try (SasRecModel model = new SasRecTrainer(twoEpochs, walks(), shared).fit(Device.cpu(), 1).model()) {
            List<int[]> histories = IntStream.range(0, 40).mapToObj(h -> new int[] {h % ITEMS, (h + 3) % ITEMS}).toList();
            int[] targets = IntStream.range(0, 40).map(h -> (h * 7) % ITEMS).toArray();
            long[] ranks = model.ranks(histories, targets, HistoryRule.KEEP);
            float[][] scores = model.servingScores(histories);
            long ties = 0;
            for (int b = 0; b < targets.length; b++) {
                assertThat(ranks[b]).as("history %d", b).isEqualTo(RankingMetrics.rank(scores[b], targets[b]));
                ties += scores[b][(targets[b] + 6) % ITEMS] == scores[b][targets[b]] ? 1 : 0;
            }
            assertThat(ties).as("targets tied with another item").isEqualTo(targets.length);
        }
    }

    @Test
    void excludingTheHistoryRanksAmongTheOtherItemsAndMissesATargetTheUserHad() {
        SasRecConfig twoEpochs = SasRecConfig.DEFAULTS.toBuilder().dim(16).blocks(1).maxLength(8)
                .dropout(0.0).learningRate(1e-2).batchSize(32).maxEpochs(2).patience(2).sidPrefixes(false).build();
        try (SasRecModel model = new SasRecTrainer(twoEpochs, walks(), sids()).fit(Device.cpu(), 1).model()) {
            List<int[]> histories = IntStream.range(0, 40).mapToObj(h -> new int[] {h % ITEMS, (h + 3) % ITEMS, (h + 5) % ITEMS}).toList();
            int[] targets = IntStream.range(0, 40).map(h -> h % 10 == 0 ? (h + 3) % ITEMS : (h * 7 + 1) % ITEMS).toArray();
            long[] ranks = model.ranks(histories, targets, HistoryRule.EXCLUDE);
            float[][] scores = model.servingScores(histories);
            for (int b = 0; b < targets.length; b++) {
                float[] others = scores[b].clone();
                boolean had = false;
                for (int i : histories.get(b)) {
                    others[i] = Float.NEGATIVE_INFINITY;
                    had |= i == targets[b];
                }
                assertThat(ranks[b]).as("history %d", b).isEqualTo(had ? Integer.MAX_VALUE : RankingMetrics.rank(others, targets[b]));
            }
            assertThat(java.util.Arrays.stream(ranks).filter(r -> r == Integer.MAX_VALUE).count()).isEqualTo(4);
        }
    }

    @Test
    void featuresAreNamedAsOnTheCommandLine() {
        assertThat(Features.of("sid+id")).isEqualTo(Features.SID_ID);
        assertThatThrownBy(() -> Features.of("text")).hasMessageContaining("choose one of [sid, id, sid+id]");
    }
}
