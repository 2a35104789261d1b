package io.quasid.rqvae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.quasid.core.training.AdamW;
import io.quasid.spi.Embeddings;
import io.quasid.spi.TokenizerContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gradient-trained tokenizers besides RQ-VAE: the rotation trick and SimVQ. */
final class TestQuantizers {
    private static final Embeddings ITEMS = Fixtures.clustered(512, 16, 24, 1);

    @TempDir
    Path dir;

    @Test
    void theRotationTrickGivesTheCodewordSumAndRotatesTheGradient() {
        // z = (1, 0), q = (0, 2): R turns by 90 degrees (R z^ = q^), lambda = |q| / |z| = 2
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray z = m.create(new float[] {1, 0}, new Shape(1, 2));
            z.setRequiresGradient(true);
            NDArray q = m.create(new float[] {0, 2}, new Shape(1, 2));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray rotated = RqVaeNetwork.rotated(z, q);
                assertThat(rotated.toFloatArray()).containsExactly(new float[] {0, 2}, within(1e-6f));
                // d/dz of (first coordinate of lambda R z) = lambda R^T e1 = 2 (0, -1); straight through it would be (1, 0)
                collector.backward(rotated.get(":, 0").sum());
            }
            assertThat(z.getGradient().toFloatArray()).containsExactly(new float[] {0, -2}, within(1e-6f));
        }
    }

    @Test
    void simVqTrainsItsLayerAndNeverItsBasis() {
        RqVaeConfig config = Fixtures.small(1).toBuilder().kmeansInit(false).reseedDeadCodes(false).build();
        try (RqVaeNetwork network = new RqVaeNetwork(config, Quantizer.SIMVQ, 16, Device.cpu(), 1)) {
            assertThat(network.parameters()).containsKeys("projection.1.weight", "projection.2.bias").doesNotContainKeys("basis.1", "codebook.1");
            assertThat(network.arrays()).containsKeys("basis.1", "basis.2");
            float[] basis = network.arrays().get("basis.1").toFloatArray();
            float[] layer = network.parameters().get("projection.1.weight").toFloatArray();
            RqVaeTraining training = new RqVaeTraining(config, Quantizer.SIMVQ, ITEMS, TokenizerContext.plain(Device.cpu(), 1));
            AdamW optimizer = new AdamW(network.parameters(), 1e-2, 0, 10);
            int[] rows = java.util.stream.IntStream.range(0, 128).toArray();
            training.step(network, optimizer, rows, new io.quasid.spi.TrainingProgress(0, 1, 0, 1), false);
            assertThat(network.arrays().get("basis.1").toFloatArray()).containsExactly(basis);
            assertThat(network.parameters().get("projection.1.weight").toFloatArray()).isNotEqualTo(layer);
        }
    }

    @Test
    void simVqRefusesAKMeansStartNamingTheSettings() {
        assertThatThrownBy(() -> new RqVaeFactory(Quantizer.SIMVQ, RqVaeConfig.DEFAULTS))
                .hasMessageContaining("simvq: kmeans_init and reseed_dead_codes must be false");
    }

    @Test
    void eachQuantizerTrainsSavesAndLoadsUnderItsOwnName() {
        for (Quantizer quantizer : Quantizer.values()) {
            RqVaeConfig config = quantizer == Quantizer.SIMVQ
                    ? Fixtures.small(3).toBuilder().kmeansInit(false).reseedDeadCodes(false).build() : Fixtures.small(3);
            RqVaeFactory factory = new RqVaeFactory(quantizer, config);
            Path model = dir.resolve(quantizer.tokenizer());
            try (RqVaeTokenizer trained = factory.fit(ITEMS, TokenizerContext.plain(Device.cpu(), 1))) {
                @SuppressWarnings("unchecked")
                List<Map<String, Double>> history = (List<Map<String, Double>>) ((Map<String, Object>) trained.metadata().get("training")).get("history");
                assertThat(history.get(2).get("rec")).as(quantizer + " reconstruction falls").isLessThan(history.get(0).get("rec"));
                assertThat(trained.name()).isEqualTo(quantizer.tokenizer());
                trained.save(model);
                try (RqVaeTokenizer loaded = factory.load(model, Device.cpu())) {
                    assertThat(loaded.assign(ITEMS)).as(quantizer.tokenizer()).containsExactly(trained.assign(ITEMS));
                }
            }
        }
        assertThatThrownBy(() -> new RqVaeFactory(Quantizer.STRAIGHT_THROUGH, RqVaeConfig.DEFAULTS).load(dir.resolve("simvq"), Device.cpu()))
                .hasMessageContaining("holds a 'simvq' tokenizer, not 'rqvae'");
    }
}
