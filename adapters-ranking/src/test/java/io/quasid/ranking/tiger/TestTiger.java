package io.quasid.ranking.tiger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.quasid.core.data.Catalogue;
import io.quasid.core.data.Dataset;
import io.quasid.core.data.Item;
import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.ranking.HistoryRule;
import io.quasid.ranking.Scored;
import io.quasid.spi.CodebookShape;
import io.quasid.spi.Sid;
import io.quasid.core.sid.SidTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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
    private static SidTable sids() {
        return new SidTable(IntStream.range(0, ITEMS).mapToObj(i -> "i" + (char) ('a' + i)).toList(),
                IntStream.range(0, ITEMS).mapToObj(i -> Sid.of(i % 5, (i / 5) % 3)).toArray(Sid[]::new), new CodebookShape(2, 5));
    }

    private static final TigerConfig TINY = TigerConfig.DEFAULTS.toBuilder().dModel(32).heads(2).headDim(16).dFf(64).encoderLayers(1)
            .decoderLayers(1).dropout(0).maxLength(5).learningRate(3e-3).schedule(LearningRateSchedule.COSINE).batchSize(16).maxEpochs(20).patience(20).beam(10).build();

    private static List<int[]> testHistories(LeaveOneOutSplit split, List<Integer> targets) {
        List<int[]> histories = new ArrayList<>();
        for (int u = 0; u < split.dataset().userCount(); u++) {
            histories.add(split.testHistory(u, 5));
            targets.add(split.testTarget(u));
        }
        return histories;
    }

    @ParameterizedTest
    @EnumSource(EncoderInput.class)
    void learnsAToySequenceTaskToARecallAtOneOfOne(EncoderInput input, @TempDir Path dir) {
        LeaveOneOutSplit split = walks();
        TigerTrainer.Trained trained = new TigerTrainer(TINY.toBuilder().encoderInput(input).build(), split, sids()).fit(Device.cpu(), 1);
        List<Integer> targets = new ArrayList<>();
        List<int[]> histories = testHistories(split, targets);
        try (TigerModel model = trained.model()) {
            List<List<Scored>> top = model.generate(histories, 1);
            for (int u = 0; u < histories.size(); u++) {
                assertThat(top.get(u).get(0).item()).as("user %d", u).isEqualTo(targets.get(u));
            }
            assertThat(model.evaluate(split, true, null, HistoryRule.KEEP).values().get("recall@3")).isEqualTo(1.0);
            model.save(dir.resolve("model"));
            try (TigerModel loaded = TigerModel.load(dir.resolve("model"), Device.cpu())) {
                List<List<Scored>> again = loaded.generate(histories, 5);
                List<List<Scored>> before = model.generate(histories, 5);
                for (int u = 0; u < histories.size(); u++) {
                    assertThat(again.get(u)).extracting(Scored::item)
                            .containsExactlyElementsOf(before.get(u).stream().map(Scored::item).toList());
                }
            }
        }
    }

    @Test
    void servingLeavesTheHistoryOutAndNamesKDistinctItems() {
        LeaveOneOutSplit split = walks();
        try (TigerModel model = new TigerTrainer(TINY, split, sids()).fit(Device.cpu(), 1).model()) {
            List<int[]> histories = testHistories(split, new ArrayList<>());
            List<List<Scored>> lists = model.recommend(histories, 8, HistoryRule.EXCLUDE);
            for (int u = 0; u < histories.size(); u++) {
                List<Integer> items = lists.get(u).stream().map(Scored::item).toList();
                assertThat(items).as("user %d", u).hasSize(8).doesNotHaveDuplicates()
                        .doesNotContainAnyElementsOf(IntStream.of(histories.get(u)).boxed().toList());
            }
        }
    }

    private static SidTable grownBy(SidTable table, String item, Sid sid) {
        return io.quasid.core.sid.StableAssignment.extend(table, new SidTable(List.of(item), new Sid[] {sid}, table.shape())).table();
    }

    @Test
    void anAddedItemJoinsTheTrieAtOnceAndOneBeyondTheModelsDeDuplicationCodesIsRefused() {
        try (TigerModel model = TigerModel.untrained(TINY.toBuilder().beam(40).build(), sids(), Device.cpu(), 1)) {
            SidTable grown = grownBy(sids(), "new", Sid.of(0, 4)); // level-2 code 4 is in the vocabulary, no trained item has it
            model.addItems(grown);
            List<Scored> all = model.generate(List.<int[]>of(new int[] {0, 1}), ITEMS + 1).get(0);
            assertThat(all.stream().map(Scored::item).toList()).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(0, ITEMS).boxed().toList());
            // every trained SID holds two items (codes 0 and 1): a third item of SID (0, 0) would need code 2
            assertThatThrownBy(() -> model.addItems(grownBy(grown, "other", Sid.of(0, 0))))
                    .hasMessage("item other has de-duplication code 2 but the generative retriever has tokens for 0..1: it can name at most 2 items of one SID");
            assertThat(model.sids().size()).isEqualTo(ITEMS + 1);
        }
    }

    @Test
    void aServedListsBeamIsWholeBeamsHoldingKPlusTheHistoryAndAtMostTheCatalogue() {
        try (TigerModel model = TigerModel.untrained(TINY, sids(), Device.cpu(), 1)) { // beam 10, 30 items
            assertThat(model.servingBeam(8, 2)).isEqualTo(10);
            assertThat(model.servingBeam(8, 3)).isEqualTo(20);
            assertThat(model.servingBeam(10, 20)).isEqualTo(30);
            assertThat(model.servingBeam(10, 25)).isEqualTo(30); // 40 would be more than the catalogue
        }
    }

    @ParameterizedTest
    @EnumSource(EncoderInput.class)
    void aGeneratedItemsScoreIsItsTokenSequencesLogProbabilityDecodedOnItsOwn(EncoderInput input) {
        LeaveOneOutSplit split = walks();
        try (TigerModel model = new TigerTrainer(TINY.toBuilder().encoderInput(input).maxEpochs(2).build(), split, sids())
                .fit(Device.cpu(), 1).model()) {
            List<int[]> histories = testHistories(split, new ArrayList<>()).subList(0, 4);
            List<List<Scored>> lists = model.generate(histories, 6); // beams of every user decoded together
            TigerNetwork network = model.network();
            int length = model.tokens().length();
            for (int u = 0; u < histories.size(); u++) {
                for (Scored s : lists.get(u)) {
                    assertThat(s.score()).as("user %d, item %d", u, s.item())
                            .isCloseTo(sequenceLogProbability(model, network, histories.get(u), s.item(), length), org.assertj.core.api.Assertions.within(1e-4));
                }
            }
        }
    }

    @Test
    void decodingOnePositionAtATimeGivesTheHiddenStatesOfTheWholePrefixRowsReorderedBetweenPositions() {
        try (TigerModel model = TigerModel.untrained(TINY.toBuilder().decoderLayers(2).build(), sids(), Device.cpu(), 3);
             ai.djl.ndarray.NDManager m = model.network().manager().newSubManager()) {
            TigerNetwork network = model.network();
            int length = model.tokens().length();
            List<int[]> histories = List.of(new int[] {0, 1, 2}, new int[] {7});
            ai.djl.ndarray.NDArray[] encoded = network.encode(model.encoderInput(m, histories), false);
            java.util.Random random = new java.util.Random(5);
            int group = 3; // rows per user: random prefixes, each position's rows taken from random rows of the one before
            long[][] prefix = new long[2 * group][];
            for (int r = 0; r < prefix.length; r++) {
                prefix[r] = new long[] {network.bos()};
            }
            TigerNetwork.Decoding decoding = network.startDecoding(encoded[0], encoded[1]);
            long[] parents = null;
            for (int position = 0; position < length; position++) {
                long[] ids = new long[prefix.length];
                for (int r = 0; r < prefix.length; r++) {
                    ids[r] = prefix[r][position];
                }
                float[] step = network.decodeNext(decoding, m.create(ids), parents, group).toFloatArray();
                long[][] full = new long[prefix.length][];
                for (int r = 0; r < prefix.length; r++) {
                    full[r] = java.util.Arrays.copyOf(prefix[r], position + 1);
                }
                ai.djl.ndarray.NDArray whole = network.decode(m.create(java.util.Arrays.stream(full).flatMapToLong(java.util.Arrays::stream).toArray(),
                        new ai.djl.ndarray.types.Shape(prefix.length, position + 1)), encoded[0], encoded[1], group, false);
                float[] expected = whole.get(new ai.djl.ndarray.index.NDIndex(":, {}, :", position)).toFloatArray();
                assertThat(step).hasSameSizeAs(expected);
                for (int i = 0; i < expected.length; i++) {
                    assertThat(step[i]).as("position %d, value %d", position, i).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-5f));
                }
                if (position + 1 < length) { // next rows: a random row of the same user, extended by a random token
                    parents = new long[prefix.length];
                    long[][] next = new long[prefix.length][];
                    for (int r = 0; r < prefix.length; r++) {
                        parents[r] = (r / group) * group + random.nextInt(group);
                        next[r] = java.util.Arrays.copyOf(prefix[(int) parents[r]], position + 2);
                        next[r][position + 1] = network.id(position, random.nextInt(model.tokens().vocabulary(position)));
                    }
                    prefix = next;
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(EncoderInput.class)
    void aHistoryEncodesAlikeAloneAndLeftPaddedBesideALongerOne(EncoderInput input) {
        try (TigerModel model = TigerModel.untrained(TINY.toBuilder().encoderInput(input).build(), sids(), Device.cpu(), 2);
             ai.djl.ndarray.NDManager m = model.network().manager().newSubManager()) {
            TigerNetwork network = model.network();
            int[] shorter = {4, 9};
            float[] alone = network.encode(model.encoderInput(m, List.of(shorter)), false)[0].toFloatArray();
            ai.djl.ndarray.NDArray padded = network.encode(model.encoderInput(m, List.of(shorter, new int[] {1, 2, 3, 4, 5})), false)[0];
            long positions = padded.getShape().get(1);
            assertThat(positions).isEqualTo(input == EncoderInput.ITEMS ? 5 : 5 * model.tokens().length());
            // the shorter history's own positions are the last ones of its padded row
            float[] last = padded.get(new ai.djl.ndarray.index.NDIndex("0, {}:, :", positions - alone.length / TINY.dModel())).toFloatArray();
            assertThat(last).hasSameSizeAs(alone);
            for (int i = 0; i < alone.length; i++) {
                assertThat(last[i]).as("value %d", i).isCloseTo(alone[i], org.assertj.core.api.Assertions.within(1e-5f));
            }
        }
    }

    /** The teacher-forced log-probability of {@code item}'s tokens after {@code history}, one user, one row. */
    private static double sequenceLogProbability(TigerModel model, TigerNetwork network, int[] history, int item, int length) {
        try (ai.djl.ndarray.NDManager m = network.manager().newSubManager()) {
            long[] input = new long[length];
            input[0] = network.bos();
            for (int l = 0; l + 1 < length; l++) {
                input[l + 1] = network.id(l, model.tokens().token(item, l));
            }
            ai.djl.ndarray.NDArray[] encoded = network.encode(model.encoderInput(m, List.of(history)), false);
            ai.djl.ndarray.NDArray hidden = network.decode(m.create(input, new ai.djl.ndarray.types.Shape(1, length)), encoded[0], encoded[1], 1, false);
            double sum = 0;
            for (int l = 0; l < length; l++) {
                float[] logp = network.logProbabilities(hidden.get(new ai.djl.ndarray.index.NDIndex(":, {}, :", l)), l).toFloatArray();
                sum += logp[model.tokens().token(item, l)];
            }
            return sum;
        }
    }

    @Test
    void everyTrainingPositionIsAnExampleWithAtMostMaxLengthItemsBefore() {
        List<TigerTrainer.Example> examples = new TigerTrainer(TINY, walks(), sids()).examples();
        // user u has 6 + u % 3 items, 4 + u % 3 of them in training: 3 + u % 3 examples each
        assertThat(examples).hasSize(IntStream.range(0, 90).map(u -> 3 + u % 3).sum());
        assertThat(examples).allSatisfy(e -> assertThat(e.history().length).isBetween(1, 5));
        assertThat(examples).allSatisfy(e -> assertThat(e.target()).isEqualTo((e.history()[e.history().length - 1] + 1) % ITEMS));
    }

    @Test
    void anEpochsBatchesHoldEveryExampleOnceAndOneHistoryLengthEach() {
        List<TigerTrainer.Example> examples = new TigerTrainer(TINY, walks(), sids()).examples();
        List<List<TigerTrainer.Example>> batches = TigerTrainer.batches(new ArrayList<>(examples), 16, new java.util.Random(1));
        assertThat(batches.stream().flatMap(List::stream).toList()).containsExactlyInAnyOrderElementsOf(examples);
        assertThat(batches).allSatisfy(b -> assertThat(b).hasSizeBetween(1, 16)
                .extracting(e -> e.history().length).containsOnly(b.get(0).history().length));
    }

    @Test
    void aValidationSampleHoldsTheAskedNumberOfEvaluatedUsersTheSameForASeedAndZeroMeansEveryUser() {
        LeaveOneOutSplit split = walks();
        java.util.function.IntPredicate sample = TigerTrainer.validationUsers(split, 20, 7);
        List<Integer> chosen = IntStream.range(0, 90).filter(sample).boxed().toList();
        assertThat(chosen).hasSize(20).allSatisfy(u -> assertThat(split.evaluated(u)).isTrue());
        assertThat(IntStream.range(0, 90).filter(TigerTrainer.validationUsers(split, 20, 7)).boxed().toList()).isEqualTo(chosen);
        assertThat(IntStream.range(0, 90).filter(TigerTrainer.validationUsers(split, 20, 8)).boxed().toList()).isNotEqualTo(chosen);
        assertThat(TigerTrainer.validationUsers(split, 0, 7)).as("0: every evaluated user").isNull();
        assertThat(TigerTrainer.validationUsers(split, 90, 7)).as("as many as there are: every evaluated user").isNull();
    }
}
