package io.quasid.rqvae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.quasid.core.training.AdamW;
import io.quasid.spi.Embeddings;
import io.quasid.spi.LossTerm;
import io.quasid.spi.PairMask;
import io.quasid.spi.Sid;
import io.quasid.spi.SidLoss;
import io.quasid.spi.TokenizerContext;
import io.quasid.spi.TrainingBatch;
import io.quasid.spi.TrainingListener;
import io.quasid.spi.TrainingProgress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestRqVaeTraining {
    private static final Embeddings ITEMS = Fixtures.clustered(512, 16, 24, 1);

    @TempDir
    Path dir;

    private static RqVaeTokenizer fit(RqVaeConfig config, TokenizerContext context) {
        return new RqVaeFactory(Quantizer.STRAIGHT_THROUGH, config).fit(ITEMS, context);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Double>> history(RqVaeTokenizer t) {
        return (List<Map<String, Double>>) ((Map<String, Object>) t.metadata().get("training")).get("history");
    }

    private static double meanSquaredLatent(RqVaeTokenizer t) {
        try (NDManager m = t.network().manager().newSubManager()) {
            NDArray z = t.network().encode(m.create(ITEMS.rows(0, ITEMS.rows()), new Shape(ITEMS.rows(), ITEMS.dimension())));
            return z.square().sum(new int[] {1}).mean().getFloat();
        }
    }

    /** A loss from outside the adapter: pulls every latent towards the origin. */
    record Pull(double weight) implements SidLoss {
        public String name() {
            return "toy.pull";
        }

        public LossTerm compute(TrainingBatch batch, io.quasid.spi.ValidPairs validPairs) {
            NDArray value = batch.z().square().sum(new int[] {1}).mean().mul((float) weight);
            return new LossTerm(value, Map.of("rows", (double) batch.layout().rows()));
        }
    }

    @Test
    void aLossPluggedInThroughTheSpiChangesTraining() {
        try (RqVaeTokenizer plain = fit(Fixtures.small(6), TokenizerContext.plain(Device.cpu(), 3));
             RqVaeTokenizer pulled = fit(Fixtures.small(6), TokenizerContext.builder(Device.cpu(), 3).losses(List.of(new Pull(5))).build())) {
            List<Map<String, Double>> h = history(pulled);
            assertThat(h.get(0)).containsKeys("toy.pull", "toy.pull/rows");
            assertThat(h.get(0).get("toy.pull/rows")).isEqualTo(128.0);
            assertThat(h.get(h.size() - 1).get("toy.pull")).isLessThan(h.get(0).get("toy.pull") / 2);
            assertThat(meanSquaredLatent(pulled)).isLessThan(meanSquaredLatent(plain) / 2);
            assertThat(history(plain).get(0)).doesNotContainKey("toy.pull");
        }
    }

    @Test
    void lossesSeeTheConjunctionOfMasksAndNeverTheDiagonal() {
        PairMask notFirstPair = new PairMask() {
            public String name() {
                return "toy.mask";
            }

            public NDArray compute(TrainingBatch batch) {
                int n = batch.layout().rows();
                float[] v = new float[n * n];
                java.util.Arrays.fill(v, 1);
                v[1] = 0; // (0, 1)
                v[n] = 0; // (1, 0)
                return batch.z().getManager().create(v, new Shape(n, n)).eq(1f);
            }
        };
        List<Double> seen = new ArrayList<>();
        SidLoss counter = new SidLoss() {
            public String name() {
                return "toy.count";
            }

            public LossTerm compute(TrainingBatch batch, io.quasid.spi.ValidPairs validPairs) {
                seen.add((double) validPairs.matrix().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).sum().getFloat());
                return LossTerm.of(batch.z().sum().mul(0f));
            }
        };
        TokenizerContext context = TokenizerContext.builder(Device.cpu(), 1).losses(List.of(counter)).pairMasks(List.of(notFirstPair)).build();
        try (RqVaeTokenizer t = fit(Fixtures.small(1), context)) {
            assertThat(seen).isNotEmpty().allMatch(s -> s == 128.0 * 127 - 2);
        }
    }

    /** A loss that is not finite on the steps it is told to break. */
    record Broken(java.util.function.LongPredicate on) implements SidLoss {
        public String name() {
            return "toy.broken";
        }

        public LossTerm compute(TrainingBatch batch, io.quasid.spi.ValidPairs validPairs) {
            NDArray zero = batch.z().sum().mul(0f);
            return LossTerm.of(on.test(batch.progress().step()) ? zero.add(Float.NaN) : zero);
        }
    }

    @Test
    void aStepWithANonFiniteLossIsSkippedAndCounted() {
        TokenizerContext context = TokenizerContext.builder(Device.cpu(), 1).losses(List.of(new Broken(step -> step == 1))).build();
        try (RqVaeTokenizer t = fit(Fixtures.small(2), context)) {
            // 4 steps an epoch: one of the first epoch's is skipped, its NaN left out of the means
            assertThat(history(t).get(0).get("skipped")).isEqualTo(0.25);
            assertThat(history(t).get(0).get("loss")).isFinite();
            assertThat(history(t).get(1).get("skipped")).isZero();
        }
    }

    @Test
    void anEpochWithoutOneFiniteStepStopsTraining() {
        TokenizerContext context = TokenizerContext.builder(Device.cpu(), 1).losses(List.of(new Broken(step -> true))).build();
        assertThatThrownBy(() -> fit(Fixtures.small(2), context)).hasMessageContaining("training diverged in epoch 1");
    }

    @Test
    void theSameSeedGivesTheSameSidsAndAnotherSeedOthers() throws InterruptedException {
        // the garbage collector runs throughout one of the two runs: a freed buffer read by a backward
        // pass (see spi.Scalars) shows up here as two runs that differ
        Thread collector = new Thread(() -> {
            try {
                while (true) {
                    System.gc();
                    Thread.sleep(1);
                }
            } catch (InterruptedException stop) {
                // the run under collection is over
            }
        });
        collector.setDaemon(true);
        Sid[] underCollection;
        collector.start();
        try (RqVaeTokenizer a = fit(Fixtures.small(3), TokenizerContext.plain(Device.cpu(), 7))) {
            underCollection = a.assign(ITEMS);
        } finally {
            collector.interrupt();
            collector.join();
        }
        try (RqVaeTokenizer b = fit(Fixtures.small(3), TokenizerContext.plain(Device.cpu(), 7));
             RqVaeTokenizer c = fit(Fixtures.small(3), TokenizerContext.plain(Device.cpu(), 8))) {
            assertThat(b.assign(ITEMS)).containsExactly(underCollection);
            assertThat(sameShare(underCollection, c.assign(ITEMS))).isLessThan(0.5);
        }
    }

    private static double sameShare(Sid[] x, Sid[] y) {
        int same = 0;
        for (int i = 0; i < x.length; i++) {
            same += x[i].equals(y[i]) ? 1 : 0;
        }
        return (double) same / x.length;
    }

    @Test
    void savedAndLoadedTokenizersAssignTheSameSids() {
        try (RqVaeTokenizer trained = fit(Fixtures.small(2), TokenizerContext.plain(Device.cpu(), 1))) {
            trained.save(dir.resolve("model"));
            try (RqVaeTokenizer loaded = new RqVaeFactory(Quantizer.STRAIGHT_THROUGH, RqVaeConfig.DEFAULTS).load(dir.resolve("model"), Device.cpu())) {
                assertThat(loaded.assign(ITEMS)).containsExactly(trained.assign(ITEMS));
                assertThat(loaded.shape()).isEqualTo(trained.shape());
                assertThat(loaded.metadata()).containsEntry("seed", 1).containsKey("embeddings_hash");
            }
        }
    }

    @Test
    void aLoadedTokenizerAssignsFromManyThreadsAtOnceAsFromOne() throws Exception {
        try (RqVaeTokenizer trained = fit(Fixtures.small(2), TokenizerContext.plain(Device.cpu(), 1))) {
            trained.save(dir.resolve("model"));
        }
        try (RqVaeTokenizer loaded = new RqVaeFactory(Quantizer.STRAIGHT_THROUGH, RqVaeConfig.DEFAULTS).load(dir.resolve("model"), Device.cpu())) {
            Sid[] alone = loaded.assign(ITEMS);
            assertThat(java.util.Arrays.stream(alone).distinct().count()).as("SIDs that differ between items").isGreaterThan(10);
            for (Sid[] round : Fixtures.assignedConcurrently(loaded, ITEMS, 4, 25)) {
                assertThat(round).containsExactly(alone);
            }
        }
    }

    @Test
    void embeddingsOfAnotherDimensionFailNamingBoth() {
        try (RqVaeTokenizer trained = fit(Fixtures.small(1), TokenizerContext.plain(Device.cpu(), 1))) {
            assertThatThrownBy(() -> trained.assign(Fixtures.clustered(4, 8, 1, 1)))
                    .hasMessageContaining("expects embeddings of dimension 16, got 8");
        }
    }

    @Test
    void aModelOfAnotherFormatVersionIsRefused() throws Exception {
        try (RqVaeTokenizer trained = fit(Fixtures.small(1), TokenizerContext.plain(Device.cpu(), 1))) {
            trained.save(dir.resolve("model"));
        }
        Path json = dir.resolve("model/tokenizer.json");
        java.nio.file.Files.writeString(json, java.nio.file.Files.readString(json).replace("\"format_version\" : 1", "\"format_version\" : 99"));
        assertThatThrownBy(() -> new RqVaeFactory(Quantizer.STRAIGHT_THROUGH, RqVaeConfig.DEFAULTS).load(dir.resolve("model"), Device.cpu()))
                .hasMessageContaining("format_version 99 is not supported");
        assertThatThrownBy(() -> new RqKMeansFactory(RqKMeansConfig.DEFAULTS).load(dir.resolve("model"), Device.cpu()))
                .hasMessageContaining("format_version 99");
    }

    @Test
    void anInterruptedRunResumesFromItsLastCheckpointToTheSameEnd() {
        RqVaeConfig config = Fixtures.small(4).toBuilder().checkpointEvery(1).build();
        Path checkpoints = dir.resolve("checkpoint");
        TrainingListener killAfterSecondEpoch = new TrainingListener() {
            public void onEpoch(int epoch, int epochs, Map<String, Double> values) {
                if (epoch == 1) {
                    throw new IllegalStateException("killed");
                }
            }
        };
        assertThatThrownBy(() -> fit(config, TokenizerContext.builder(Device.cpu(), 5).listener(killAfterSecondEpoch)
                .checkpoints(checkpoints, false).build())).hasMessage("killed");
        try (RqVaeTokenizer resumed = fit(config, TokenizerContext.builder(Device.cpu(), 5).checkpoints(checkpoints, true).build());
             RqVaeTokenizer whole = fit(config, TokenizerContext.plain(Device.cpu(), 5))) {
            assertThat(history(resumed)).hasSize(4);
            assertThat(history(resumed).get(3).get("epoch")).isEqualTo(4.0);
            Sid[] a = resumed.assign(ITEMS);
            Sid[] b = whole.assign(ITEMS);
            int same = 0;
            for (int i = 0; i < a.length; i++) {
                same += a[i].equals(b[i]) ? 1 : 0;
            }
            assertThat(same).as("items with the SID of the uninterrupted run").isGreaterThanOrEqualTo(a.length * 95 / 100);
        }
    }

    @Test
    void aCheckpointOfAnotherRunIsRefused() {
        Path checkpoints = dir.resolve("checkpoint");
        RqVaeConfig config = Fixtures.small(1).toBuilder().checkpointEvery(1).build();
        fit(config, TokenizerContext.builder(Device.cpu(), 5).checkpoints(checkpoints, false).build()).close();
        assertThatThrownBy(() -> fit(config, TokenizerContext.builder(Device.cpu(), 6).checkpoints(checkpoints, true).build()))
                .hasMessageContaining("belongs to another run").hasMessageContaining("seed: checkpoint 5, this run 6");
    }

    @Test
    void settingsOutOfRangeFailBeforeTrainingNamingFieldAndRange() {
        assertThatThrownBy(() -> RqVaeConfig.DEFAULTS.toBuilder().codes(1).build()).hasMessageContaining("codes (K) = 1 is out of range: allowed [2, 65536]");
        assertThatThrownBy(() -> RqVaeConfig.DEFAULTS.toBuilder().levels(0).build()).hasMessageContaining("levels (L) = 0 is out of range");
        assertThatThrownBy(() -> RqVaeConfig.DEFAULTS.toBuilder().beta(-0.1).build()).hasMessageContaining("beta = -0.1 is out of range");
        assertThatThrownBy(() -> RqVaeConfig.DEFAULTS.toBuilder().weightDecay(-1).build()).hasMessageContaining("weight_decay = -1.0");
        assertThatThrownBy(() -> fit(Fixtures.small(1).toBuilder().batchRows(1024).build(), TokenizerContext.plain(Device.cpu(), 1)))
                .hasMessageContaining("batch_rows = 1024 is larger than the catalogue (512 items): allowed [2, 512]");
        assertThatThrownBy(() -> RqVaeConfig.DEFAULTS.toBuilder().itemRows(1023).build()).hasMessageContaining("item_rows = 1023 is out of range: allowed [0, 1022]");
    }

    @Test
    void stepsDoNotAccumulateNativeArrays() {
        RqVaeConfig config = Fixtures.small(1);
        RqVaeTraining training = new RqVaeTraining(config, Quantizer.STRAIGHT_THROUGH, ITEMS, TokenizerContext.plain(Device.cpu(), 1));
        try (RqVaeNetwork network = new RqVaeNetwork(config, Quantizer.STRAIGHT_THROUGH, 16, Device.cpu(), 1)) {
            AdamW optimizer = new AdamW(network.parameters(), 1e-3, 0, 10);
            int[] rows = java.util.stream.IntStream.range(0, 128).toArray();
            for (int s = 0; s < 5; s++) {
                training.step(network, optimizer, rows, new TrainingProgress(s, 100, 0, 1), s % 2 == 0);
            }
            int warm = network.manager().getManagedArrays().size();
            for (int s = 5; s < 50; s++) {
                training.step(network, optimizer, rows, new TrainingProgress(s, 100, 0, 1), s % 2 == 0);
            }
            assertThat(network.manager().getManagedArrays()).hasSize(warm);
        }
    }

    @Test
    void aStepReadsItsOwnRowsThoughItsInputMemoryIsReused() {
        RqVaeConfig config = Fixtures.small(1);
        int[] first = java.util.stream.IntStream.range(0, 128).toArray();
        int[] second = java.util.stream.IntStream.range(300, 428).toArray();
        RqVaeTraining reused = new RqVaeTraining(config, Quantizer.STRAIGHT_THROUGH, ITEMS, TokenizerContext.plain(Device.cpu(), 1));
        RqVaeTraining fresh = new RqVaeTraining(config, Quantizer.STRAIGHT_THROUGH, ITEMS, TokenizerContext.plain(Device.cpu(), 1));
        try (RqVaeNetwork a = new RqVaeNetwork(config, Quantizer.STRAIGHT_THROUGH, 16, Device.cpu(), 1);
                RqVaeNetwork b = new RqVaeNetwork(config, Quantizer.STRAIGHT_THROUGH, 16, Device.cpu(), 1);
                RqVaeNetwork c = new RqVaeNetwork(config, Quantizer.STRAIGHT_THROUGH, 16, Device.cpu(), 1)) {
            reused.step(a, new AdamW(a.parameters(), 1e-3, 0, 10), first, new TrainingProgress(0, 2, 0, 1), false);
            RqVaeTraining.Step afterAnother = reused.step(b, new AdamW(b.parameters(), 1e-3, 0, 10), second, new TrainingProgress(1, 2, 0, 1), false);
            RqVaeTraining.Step alone = fresh.step(c, new AdamW(c.parameters(), 1e-3, 0, 10), second, new TrainingProgress(0, 2, 0, 1), false);
            assertThat(afterAnother.values().get("rec")).isEqualTo(alone.values().get("rec"));
            assertThat(afterAnother.codes()).isEqualTo(alone.codes());
        }
    }
}
