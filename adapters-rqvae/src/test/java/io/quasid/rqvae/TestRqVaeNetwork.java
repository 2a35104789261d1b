package io.quasid.rqvae;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.quasid.spi.Embeddings;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

final class TestRqVaeNetwork {
    private static final Embeddings X = Fixtures.clustered(64, 12, 4, 5);

    /** The sum of absolute gradients per parameter after one backward pass of {@code loss}. */
    private static Map<String, Double> gradients(Function<RqVaeNetwork.Quantized, NDArray> lossOf, RqVaeNetwork network,
                                                 NDManager m) {
        NDArray x = m.create(X.rows(0, 64), new Shape(64, 12));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray z = network.encode(x);
            RqVaeNetwork.Quantized q = network.quantize(z);
            NDArray reconstruction = network.decode(q.quantized());
            NDArray rec = reconstruction.sub(x).square().sum(new int[] {1}).mean();
            collector.backward(lossOf.apply(new RqVaeNetwork.Quantized(q.codes(), rec, q.rqLoss(), q.residuals())));
        }
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        network.parameters().forEach((name, p) -> out.put(name, (double) p.getGradient().abs().sum().getFloat()));
        return out;
    }

    @Test
    void theTotalLossReachesTheEncoderAndEveryCodebook() {
        RqVaeConfig config = Fixtures.small(1).toBuilder().levels(3).build();
        try (RqVaeNetwork network = new RqVaeNetwork(config, Quantizer.STRAIGHT_THROUGH, 12, Device.cpu(), 1); NDManager m = network.manager().newSubManager()) {
            // quantized() here carries the reconstruction loss, see gradients(...)
            Map<String, Double> g = gradients(q -> q.quantized().add(q.rqLoss()), network, m);
            assertThat(g.get("encoder.0.weight")).isPositive();
            assertThat(g.get("decoder.0.weight")).isPositive();
            assertThat(g.get("codebook.1")).isPositive();
            assertThat(g.get("codebook.2")).isPositive();
            assertThat(g.get("codebook.3")).isPositive();
        }
    }

    @Test
    void theReconstructionPassesThroughTheQuantizerToTheEncoderButNotTheCodebooks() {
        try (RqVaeNetwork network = new RqVaeNetwork(Fixtures.small(1), Quantizer.STRAIGHT_THROUGH, 12, Device.cpu(), 1); NDManager m = network.manager().newSubManager()) {
            Map<String, Double> g = gradients(RqVaeNetwork.Quantized::quantized, network, m);
            assertThat(g.get("encoder.0.weight")).as("straight-through estimator").isPositive();
            assertThat(g.get("codebook.1")).isZero();
            assertThat(g.get("codebook.2")).isZero();
        }
    }

    @Test
    void theSameSeedGivesTheSameInitialWeights() {
        try (RqVaeNetwork a = new RqVaeNetwork(Fixtures.small(1), Quantizer.STRAIGHT_THROUGH, 12, Device.cpu(), 9);
             RqVaeNetwork b = new RqVaeNetwork(Fixtures.small(1), Quantizer.STRAIGHT_THROUGH, 12, Device.cpu(), 9);
             RqVaeNetwork c = new RqVaeNetwork(Fixtures.small(1), Quantizer.STRAIGHT_THROUGH, 12, Device.cpu(), 10)) {
            assertThat(a.parameters().get("encoder.0.weight").toFloatArray())
                    .containsExactly(b.parameters().get("encoder.0.weight").toFloatArray());
            assertThat(a.parameters().get("encoder.0.weight").toFloatArray())
                    .isNotEqualTo(c.parameters().get("encoder.0.weight").toFloatArray());
        }
    }
}
