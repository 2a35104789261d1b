package io.quasid.plugins.adasid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.quasid.spi.CodebookShape;
import io.quasid.spi.LossTerm;
import io.quasid.spi.PairLayout;
import io.quasid.spi.PairLosses;
import io.quasid.spi.TrainingBatch;
import io.quasid.spi.TrainingProgress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hand-computed batch, L = 2: rows 0 and 1 share both codes (o = 2), row 2 shares the first code with
 * both (o = 1), row 3 shares nothing. Content: rows 0 and 2 point the same way (cos 1), row 1 is
 * orthogonal to both (cos 0). Encoder outputs: z0 = z1 (D = 0), z2 orthogonal to them (D = 1).
 *
 * <p>Candidates (unordered): (0,1) signature {1,1}; (0,2) and (1,2) signature {1,0}: loads 1, 2, 2, so
 * d_max (90th percentile) = 2 and a = 1.5, 2, 2. SeAR (eta = 0.2 at o = 1, 0.4 at o = 2): (0,2) is
 * relaxed (cos 1 >= 0.2); (0,1) (cos 0 < 0.4) and (1,2) (cos 0 < 0.2) are kept. Penalties: (0,1)
 * 1.5 max(0, 0.8 - 0) = 1.2; (1,2) 2 max(0, 0.5 - 1) = 0. L_col = 1.2 / 2 = 0.6.
 */
final class TestAdaSid {
    private final NDManager m = NDManager.newBaseManager("PyTorch");

    record Batch(NDArray z, NDArray inputs, NDArray codes, int[] items, PairLayout layout, TrainingProgress progress, CodebookShape shape)
            implements TrainingBatch {}

    @AfterEach
    void close() {
        m.close();
    }

    private Batch batch(double fraction) {
        NDArray z = m.create(new float[] {1, 0, 1, 0, 0, 1, 0.6f, 0.8f}, new Shape(4, 2));
        z.setRequiresGradient(true);
        NDArray x = m.create(new float[] {1, 0, 0, 1, 1, 0, 0.7f, 0.7f}, new Shape(4, 2));
        NDArray codes = m.create(new int[] {0, 0, 0, 0, 0, 1, 5, 6}, new Shape(4, 2)).toType(DataType.INT32, false);
        return new Batch(z, x, codes, new int[] {0, 1, 2, 3}, PairLayout.items(4), new TrainingProgress(Math.round(fraction * 100), 100, 0, 1),
                new CodebookShape(2, 8));
    }

    private static LossTerm collision(AdaSidConfig config, Batch b) {
        return new AdaSidCollision(config).compute(b, PairLosses.conflictAwareValidPairs(b));
    }

    @Test
    void theCollisionTermMatchesTheHandComputedBatch() {
        LossTerm t = collision(AdaSidConfig.DEFAULTS, batch(0));
        assertThat(t.value().getFloat()).isCloseTo(0.6f, within(1e-5f));
        assertThat(t.diagnostics().get("candidate_pairs")).isEqualTo(3.0);
        assertThat(t.diagnostics().get("kept_pairs")).isEqualTo(2.0);
        assertThat(t.diagnostics().get("relaxed_share")).isCloseTo(1 / 3.0, within(1e-6));
        assertThat(t.diagnostics().get("d_max")).isEqualTo(2.0);
        assertThat(t.diagnostics().get("mean_load")).isCloseTo(5 / 3.0, within(1e-6));
        assertThat(t.diagnostics().get("mean_weight")).isCloseTo(1.75, within(1e-6));
    }

    @Test
    void theAllPairsFormGivesTheSameValueAndDiagnostics() {
        for (AdaSidConfig c : new AdaSidConfig[] {AdaSidConfig.DEFAULTS, AdaSidConfig.DEFAULTS.with(false, false, true),
                similarity(AdaSidConfig.CENTRED), similarity(AdaSidConfig.ENCODER)}) {
            Batch b = turned();
            LossTerm sparse = new AdaSidCollision(c).compute(b, PairLosses.conflictAwareValidPairs(b), Long.MAX_VALUE);
            LossTerm dense = new AdaSidCollision(c).compute(b, PairLosses.conflictAwareValidPairs(b), -1);
            assertThat(dense.value().getFloat()).isCloseTo(sparse.value().getFloat(), within(1e-5f));
            sparse.diagnostics().forEach((k, v) -> assertThat(dense.diagnostics().get(k)).as(k).isCloseTo(v, within(1e-6)));
        }
    }

    @Test
    void withoutRelaxationTheSemanticallyAlikePairIsRepelledToo() {
        // (0,2) joins: a = 2, margin 0.5, D = 1: penalty 0, so the mean falls to 1.2 / 3
        LossTerm t = collision(AdaSidConfig.DEFAULTS.with(false, true, true), batch(0));
        assertThat(t.value().getFloat()).isCloseTo(0.4f, within(1e-5f));
        assertThat(t.diagnostics().get("kept_pairs")).isEqualTo(3.0);
    }

    @Test
    void withoutLoadWeightingEveryPairWeighsOne() {
        assertThat(collision(AdaSidConfig.DEFAULTS.with(true, false, true), batch(0)).value().getFloat()).isCloseTo(0.4f, within(1e-5f));
    }

    @Test
    void aFullOverlapGetsTheLargerMargin() {
        // z1 turned by 60 degrees: D01 = 0.5 still violates m_full = 0.8 (1.5 x 0.3), and D12 = 1 - cos 30 = 0.134
        // now violates m_partial = 0.5 (2 x 0.366): mean (0.45 + 0.732) / 2
        assertThat(collision(AdaSidConfig.DEFAULTS, turned()).value().getFloat()).isCloseTo((0.45f + 2 * 0.3660254f) / 2, within(1e-5f));
    }

    private Batch turned() {
        Batch b = batch(0);
        NDArray z = m.create(new float[] {1, 0, 0.5f, (float) Math.sqrt(0.75), 0, 1, 0.6f, 0.8f}, new Shape(4, 2));
        z.setRequiresGradient(true);
        return new Batch(z, b.inputs(), b.codes(), b.items(), b.layout(), b.progress(), b.shape());
    }

    @Test
    void theScheduleMovesWeightFromCollisionToContrastive() {
        AdaSidConfig c = AdaSidConfig.DEFAULTS;
        assertThat(c.collisionWeight(new TrainingProgress(0, 100, 0, 1))).isEqualTo(1.0);
        assertThat(c.contrastiveWeight(new TrainingProgress(0, 100, 0, 1))).isEqualTo(0.0);
        // middle of the ramp (t = 0.3 of 0.6): p = 0.5
        assertThat(c.collisionWeight(new TrainingProgress(30, 100, 0, 1))).isCloseTo(0.6, within(1e-12));
        assertThat(c.contrastiveWeight(new TrainingProgress(30, 100, 0, 1))).isCloseTo(0.05, within(1e-12));
        // from T_end on: lambda_col_min and lambda_cf_max
        assertThat(c.collisionWeight(new TrainingProgress(99, 100, 0, 1))).isCloseTo(0.2, within(1e-12));
        assertThat(c.contrastiveWeight(new TrainingProgress(99, 100, 0, 1))).isCloseTo(0.1, within(1e-12));
        assertThat(collision(c, batch(0.3)).value().getFloat()).isCloseTo(0.6f * 0.6f, within(1e-5f));
        AdaSidConfig off = c.with(true, true, false);
        assertThat(off.collisionWeight(new TrainingProgress(99, 100, 0, 1))).isEqualTo(1.0);
        assertThat(off.contrastiveWeight(new TrainingProgress(0, 100, 0, 1))).isEqualTo(0.1);
    }

    @Test
    void thresholdsAreInterpolatedOverDepthForOtherLevelCounts() {
        AdaSidConfig c = AdaSidConfig.DEFAULTS;
        assertThat(c.eta(1, 3)).isEqualTo(0.2);
        assertThat(c.eta(3, 3)).isEqualTo(0.4);
        assertThat(c.eta(2, 2)).isEqualTo(0.4);
        assertThat(c.eta(2, 5)).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void gradientsReachTheEncoderOutputsAndNotTheInputs() {
        Batch b = turned(); // in batch(0) the violated pair has z0 = z1, where the cosine's gradient is 0
        try (GradientCollector g = Engine.getInstance().newGradientCollector()) {
            g.backward(collision(AdaSidConfig.DEFAULTS, b).value());
        }
        assertThat(b.z().getGradient().abs().sum().getFloat()).isPositive();
        assertThat(b.inputs().hasGradient()).isFalse();
    }

    @Test
    void aLoadQuantileIsANearestRankOverPairs() {
        // signature counts: 1 pair with load 1, 2 pairs with load 2
        assertThat(AdaSidCollision.quantile(new long[] {0, 2, 0, 1}, 0.9)).isEqualTo(2.0);
        assertThat(AdaSidCollision.quantile(new long[] {0, 2, 0, 1}, 0.3)).isEqualTo(1.0);
        assertThat(AdaSidCollision.quantile(new long[4], 0.9)).isZero();
    }

    @Test
    void invalidSettingsNameTheField() {
        assertThatThrownBy(() -> new AdaSidConfig(new double[] {0.4, 0.2}, 1, 2, 1, 0.9, 0.8, 0.5, 0, 0.6, 0.2, 0.1, 0.07, true, true, true, AdaSidConfig.CONTENT))
                .hasMessageContaining("eta").hasMessageContaining("must not decrease");
        assertThatThrownBy(() -> new AdaSidConfig(new double[] {0.2}, 1, 0.5, 1, 0.9, 0.8, 0.5, 0, 0.6, 0.2, 0.1, 0.07, true, true, true, AdaSidConfig.CONTENT))
                .hasMessageContaining("f_max");
        assertThatThrownBy(() -> new AdaSidConfig(new double[] {0.2}, 1, 2, 1, 0.9, 0.8, 0.5, 0.7, 0.6, 0.2, 0.1, 0.07, true, true, true, AdaSidConfig.CONTENT))
                .hasMessageContaining("t_end");
        assertThatThrownBy(() -> similarity("cosine")).hasMessageContaining("similarity = cosine").hasMessageContaining("centred");
    }

    private static AdaSidConfig similarity(String similarity) {
        AdaSidConfig d = AdaSidConfig.DEFAULTS;
        return new AdaSidConfig(d.eta(), d.fMin(), d.fMax(), d.alpha(), d.loadQuantile(), d.mFull(), d.mPartial(), d.tStart(), d.tEnd(),
                d.lambdaColMin(), d.lambdaCfMax(), d.tau(), true, true, true, similarity);
    }

    /** {@link #batch} with content embeddings in a narrow cone: rows 0 and 2 equal, row 1 tilted the other way, row 3 between. */
    private Batch cone() {
        Batch b = batch(0);
        NDArray x = m.create(new float[] {1, 0.1f, 1, -0.1f, 1, 0.1f, 1, 0}, new Shape(4, 2));
        return new Batch(b.z(), x, b.codes(), b.items(), b.layout(), b.progress(), b.shape());
    }

    @Test
    void centredCosinesTellApartItemsThatRawContentCosinesLumpTogether() {
        // raw cosines are all >= 0.98, so every candidate is relaxed; less the batch mean (1, 0.025) rows 0 and 2
        // point up, row 1 down: cos -1 keeps (0,1) and (1,2), as in the hand-computed batch
        LossTerm raw = collision(AdaSidConfig.DEFAULTS, cone());
        assertThat(raw.value().getFloat()).isZero();
        assertThat(raw.diagnostics().get("relaxed_share")).isEqualTo(1.0);
        LossTerm centred = collision(similarity(AdaSidConfig.CENTRED), cone());
        assertThat(centred.value().getFloat()).isCloseTo(0.6f, within(1e-5f));
        assertThat(centred.diagnostics().get("kept_pairs")).isEqualTo(2.0);
    }

    @Test
    void onEncoderCosinesAKeptPartialOverlapIsNeverPenalised() {
        // e0 = e1 relaxes the full overlap (cos 1 >= 0.4); (0,2) and (1,2) are kept (cos 0 < 0.2) but D = 1 > m_partial
        LossTerm t = collision(similarity(AdaSidConfig.ENCODER), batch(0));
        assertThat(t.value().getFloat()).isZero();
        assertThat(t.diagnostics().get("kept_pairs")).isEqualTo(2.0);
        assertThat(t.diagnostics().get("relaxed_share")).isCloseTo(1 / 3.0, within(1e-6));
    }
}
