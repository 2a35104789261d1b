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
import io.quasid.spi.Embeddings;
import io.quasid.spi.LossTerm;
import io.quasid.spi.PairLayout;
import io.quasid.spi.Cvpm;
import io.quasid.spi.TrainingBatch;
import io.quasid.spi.TrainingProgress;
import io.quasid.spi.ValidPairs;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hand-computed batch, L = 2: rows 0 and 1 share both codes (o = 2), row 2 shares the first code with
 * both (o = 1), row 3 shares nothing. Content: rows 0 and 2 point the same way (cos 1), row 1 is
 * orthogonal to both (cos 0). Encoder outputs: z0 = z1 (D = 0), z2 orthogonal to them (D = 1).
 *
 * <p>With fixed thresholds on the raw content ({@link #FIXED}: eta = 0.2 at o = 1, 0.4 at o = 2):
 * candidates (unordered) (0,1) in region {level 1: 0, level 2: 0}, (0,2) and (1,2) in region {level 1: 0}:
 * loads 1, 2, 2. SeAR relaxes (0,2) (cos 1 >= 0.2) and keeps (0,1) (cos 0 < 0.4) and (1,2) (cos 0 < 0.2);
 * d_max = the 90th percentile of the kept loads {1, 2} = 2, so a = 1.5 and 2. Penalties: (0,1)
 * 1.5 max(0, 0.8 - 0) = 1.2; (1,2) 2 max(0, 0.5 - 1) = 0. L_col = 1.2 / 2 = 0.6.
 */
final class TestAdaSid {
    /** The raw content embeddings against fixed thresholds 0.2, 0.3, 0.4 by depth (0.2 and 0.4 for L = 2). */
    static final AdaSidConfig FIXED = AdaSidConfig.DEFAULTS.toBuilder().similarity(AdaSidConfig.CONTENT).eta(0.2, 0.3, 0.4).build();

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

    /** The pairs AdaSID's CVPM lets it repel in {@code b}. */
    static ValidPairs cvpm(TrainingBatch b) {
        return ValidPairs.of(b, List.of(new Cvpm(AdaSidPlugin.NAME, true)));
    }

    /** The collision term prepared with the batch's own rows as the catalogue. */
    static AdaSidCollision prepared(AdaSidConfig config, TrainingBatch b) {
        Embeddings catalogue = Embeddings.of(b.inputs().toFloatArray(), (int) b.inputs().getShape().get(0), (int) b.inputs().getShape().get(1));
        return new AdaSidCollision(config).prepare(catalogue, b.shape(), 1);
    }

    private static LossTerm collision(AdaSidConfig config, Batch b) {
        return prepared(config, b).compute(b, cvpm(b));
    }

    @Test
    void theCollisionTermMatchesTheHandComputedBatch() {
        LossTerm t = collision(FIXED, batch(0));
        assertThat(t.value().getFloat()).isCloseTo(0.6f, within(1e-5f));
        assertThat(t.diagnostics().get("candidate_pairs")).isEqualTo(3.0);
        assertThat(t.diagnostics().get("kept_pairs")).isEqualTo(2.0);
        assertThat(t.diagnostics().get("relaxed_share")).isCloseTo(1 / 3.0, within(1e-6));
        assertThat(t.diagnostics().get("relaxed_share/1")).isCloseTo(0.5, within(1e-6));
        assertThat(t.diagnostics().get("relaxed_share/2")).isZero();
        assertThat(t.diagnostics().get("eta/1")).isCloseTo(0.2, within(1e-12));
        assertThat(t.diagnostics().get("eta/2")).isCloseTo(0.4, within(1e-12));
        assertThat(t.diagnostics().get("d_max")).isEqualTo(2.0);
        assertThat(t.diagnostics().get("mean_load")).isCloseTo(5 / 3.0, within(1e-6));
        assertThat(t.diagnostics().get("mean_weight")).isCloseTo(1.75, within(1e-6));
        assertThat(t.diagnostics().get("weight_sd")).isCloseTo(0.25, within(1e-6));
    }

    @Test
    void theAllPairsFormGivesTheSameValueAndDiagnostics() {
        for (AdaSidConfig c : new AdaSidConfig[] {FIXED, FIXED.toBuilder().relaxation(false).loadWeighting(false).build(),
                AdaSidConfig.DEFAULTS, FIXED.toBuilder().load(AdaSidConfig.PATTERN).build()}) {
            Batch b = turned();
            AdaSidCollision loss = prepared(c, b);
            LossTerm sparse = loss.compute(b, cvpm(b), Long.MAX_VALUE);
            LossTerm dense = loss.compute(b, cvpm(b), -1);
            assertThat(dense.value().getFloat()).as(c.toString()).isCloseTo(sparse.value().getFloat(), within(1e-5f));
            assertThat(dense.diagnostics()).isEqualTo(sparse.diagnostics());
        }
    }

    @Test
    void withoutRelaxationTheSemanticallyAlikePairIsRepelledToo() {
        // (0,2) joins: a = 2, margin 0.5, D = 1: penalty 0, so the mean falls to 1.2 / 3
        LossTerm t = collision(FIXED.toBuilder().relaxation(false).build(), batch(0));
        assertThat(t.value().getFloat()).isCloseTo(0.4f, within(1e-5f));
        assertThat(t.diagnostics().get("kept_pairs")).isEqualTo(3.0);
    }

    @Test
    void withoutLoadWeightingEveryPairWeighsOne() {
        LossTerm t = collision(FIXED.toBuilder().loadWeighting(false).build(), batch(0));
        assertThat(t.value().getFloat()).isCloseTo(0.4f, within(1e-5f));
        assertThat(t.diagnostics().get("weight_sd")).isZero();
    }

    @Test
    void aFullOverlapGetsTheLargerMargin() {
        // z1 turned by 60 degrees: D01 = 0.5 still violates m_full = 0.8 (1.5 x 0.3), and D12 = 1 - cos 30 = 0.134
        // now violates m_partial = 0.5 (2 x 0.366): mean (0.45 + 0.732) / 2
        assertThat(collision(FIXED, turned()).value().getFloat()).isCloseTo((0.45f + 2 * 0.3660254f) / 2, within(1e-5f));
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
        assertThat(collision(FIXED, batch(0.3)).value().getFloat()).isCloseTo(0.6f * 0.6f, within(1e-5f));
        AdaSidConfig off = c.toBuilder().schedule(false).build();
        assertThat(off.collisionWeight(new TrainingProgress(99, 100, 0, 1))).isEqualTo(1.0);
        assertThat(off.contrastiveWeight(new TrainingProgress(0, 100, 0, 1))).isEqualTo(0.1);
    }

    @Test
    void quantilesAndThresholdsAreInterpolatedOverDepthForOtherLevelCounts() {
        assertThat(FIXED.byDepth(1, 3)).isEqualTo(0.2);
        assertThat(FIXED.byDepth(3, 3)).isEqualTo(0.4);
        assertThat(FIXED.byDepth(2, 2)).isEqualTo(0.4);
        assertThat(FIXED.byDepth(2, 5)).isCloseTo(0.25, within(1e-12));
        assertThat(AdaSidConfig.DEFAULTS.byDepth(2, 3)).isEqualTo(0.97);
        assertThat(AdaSidConfig.DEFAULTS.byDepth(2, 2)).isEqualTo(0.995);
    }

    /**
     * Items on a unit circle around (5, 5): less the catalogue mean, the cosine of two random items is
     * {@code cos(theta)} with {@code theta} uniform in {@code [0, pi]}, so its {@code q} quantile is
     * {@code cos(pi (1 - q))}; the raw cosines all sit near 1.
     */
    @Test
    void quantileThresholdsAreTakenFromRandomPairsOfTheCatalogueLessItsMean() {
        int n = 3600;
        float[] v = new float[2 * n];
        for (int k = 0; k < n; k++) {
            v[2 * k] = (float) (5 + Math.cos(2 * Math.PI * k / n));
            v[2 * k + 1] = (float) (5 + Math.sin(2 * Math.PI * k / n));
        }
        Embeddings circle = Embeddings.of(v, n, 2);
        SemanticGate gate = SemanticGate.of(AdaSidConfig.DEFAULTS, circle, 3, 11);
        double[] q = AdaSidConfig.DEFAULTS.q();
        for (int o = 1; o <= 3; o++) {
            assertThat(gate.eta(o)).as("eta[%d]", o).isCloseTo(Math.cos(Math.PI * (1 - q[o - 1])), within(0.005));
        }
        assertThat(SemanticGate.of(AdaSidConfig.DEFAULTS, circle, 3, 11).eta(1)).as("same seed").isEqualTo(gate.eta(1));
        SemanticGate raw = SemanticGate.of(AdaSidConfig.DEFAULTS.toBuilder().similarity(AdaSidConfig.CONTENT).build(), circle, 3, 11);
        assertThat(raw.eta(1)).isGreaterThan(0.99);
    }

    @Test
    void thePreparedTermReportsItsThresholds() {
        // the batch as catalogue: mean (0.675, 0.425); the six pair cosines less it put every quantile at the largest
        LossTerm t = collision(AdaSidConfig.DEFAULTS, batch(0));
        assertThat(t.diagnostics().get("eta/1")).isEqualTo(t.diagnostics().get("eta/2"));
        assertThat(t.diagnostics().get("eta/1")).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void aTermNotPreparedWithTheCatalogueSaysSo() {
        Batch b = batch(0);
        assertThatThrownBy(() -> new AdaSidCollision(AdaSidConfig.DEFAULTS).compute(b, cvpm(b)))
                .hasMessageContaining("adasid.collision").hasMessageContaining("prepare");
    }

    /**
     * L = 2: rows 0, 1, 2 share first code 0 (three pairs, region {level 1: 0}); rows 3 and 4 share first
     * code 1 (one pair, region {level 1: 1}). By region the loads are 3, 3, 3, 1 (d_max 3, weights 2, 2, 2
     * and 4/3); by pattern all four pairs share "level 1 only": load 4, weight 2 each.
     */
    @Test
    void theLoadCountsPairsCrowdingTheSameCodesNotMerelyTheSameLevels() {
        NDArray z = m.create(new float[] {1, 0, 0, 1, -1, 0, 0, -1, 0.6f, 0.8f}, new Shape(5, 2));
        NDArray codes = m.create(new int[] {0, 0, 0, 1, 0, 2, 1, 3, 1, 4}, new Shape(5, 2)).toType(DataType.INT32, false);
        Batch b = new Batch(z, z, codes, new int[] {0, 1, 2, 3, 4}, PairLayout.items(5), new TrainingProgress(0, 1, 0, 1), new CodebookShape(2, 8));
        AdaSidConfig noGate = FIXED.toBuilder().relaxation(false).build();
        LossTerm region = prepared(noGate, b).compute(b, cvpm(b));
        assertThat(region.diagnostics().get("mean_load")).isCloseTo(2.5, within(1e-9));
        assertThat(region.diagnostics().get("d_max")).isEqualTo(3.0);
        assertThat(region.diagnostics().get("mean_weight")).isCloseTo((6 + 4 / 3.0) / 4, within(1e-6));
        LossTerm pattern = prepared(noGate.toBuilder().load(AdaSidConfig.PATTERN).build(), b).compute(b, cvpm(b));
        assertThat(pattern.diagnostics().get("mean_load")).isEqualTo(4.0);
        assertThat(pattern.diagnostics().get("mean_weight")).isCloseTo(2.0, within(1e-6));
    }

    @Test
    void gradientsReachTheEncoderOutputsAndNotTheInputs() {
        Batch b = turned(); // in batch(0) the violated pair has z0 = z1, where the cosine's gradient is 0
        try (GradientCollector g = Engine.getInstance().newGradientCollector()) {
            g.backward(collision(FIXED, b).value());
        }
        assertThat(b.z().getGradient().abs().sum().getFloat()).isPositive();
        assertThat(b.inputs().hasGradient()).isFalse();
    }

    @Test
    void aLoadQuantileIsANearestRankOverPairs() {
        assertThat(AdaSidCollision.quantile(new int[] {2, 1, 2}, 0.9)).isEqualTo(2.0);
        assertThat(AdaSidCollision.quantile(new int[] {2, 1, 2}, 0.3)).isEqualTo(1.0);
        assertThat(AdaSidCollision.quantile(new int[0], 0.9)).isZero();
    }

    @Test
    void invalidSettingsNameTheField() {
        AdaSidConfig.Builder d = AdaSidConfig.DEFAULTS.toBuilder();
        assertThatThrownBy(() -> d.eta(0.4, 0.2).build()).hasMessageContaining("eta").hasMessageContaining("must not decrease");
        assertThatThrownBy(() -> AdaSidConfig.DEFAULTS.toBuilder().q(0.9, 1.5).build()).hasMessageContaining("q[1] = 1.5 is out of range");
        assertThatThrownBy(() -> AdaSidConfig.DEFAULTS.toBuilder().fMax(0.5).build()).hasMessageContaining("f_max");
        assertThatThrownBy(() -> AdaSidConfig.DEFAULTS.toBuilder().tStart(0.7).build()).hasMessageContaining("t_end");
        assertThatThrownBy(() -> AdaSidConfig.DEFAULTS.toBuilder().similarity("cosine").build())
                .hasMessageContaining("similarity = cosine").hasMessageContaining("centred");
        assertThatThrownBy(() -> AdaSidConfig.DEFAULTS.toBuilder().load("levels").build()).hasMessageContaining("load = levels")
                .hasMessageContaining("region");
    }

    /** {@link #batch} with content embeddings in a narrow cone: rows 0 and 2 equal, row 1 tilted the other way, row 3 between. */
    private Batch cone() {
        Batch b = batch(0);
        NDArray x = m.create(new float[] {1, 0.1f, 1, -0.1f, 1, 0.1f, 1, 0}, new Shape(4, 2));
        return new Batch(b.z(), x, b.codes(), b.items(), b.layout(), b.progress(), b.shape());
    }

    @Test
    void cosinesLessTheCatalogueMeanTellApartItemsThatRawCosinesLumpTogether() {
        // raw cosines are all >= 0.98, so every candidate is relaxed; less the catalogue mean (1, 0.025) rows 0 and 2
        // point up, row 1 down: cos -1 keeps (0,1) and (1,2), as in the hand-computed batch
        LossTerm raw = collision(FIXED, cone());
        assertThat(raw.value().getFloat()).isZero();
        assertThat(raw.diagnostics().get("relaxed_share")).isEqualTo(1.0);
        LossTerm centred = collision(FIXED.toBuilder().similarity(AdaSidConfig.CENTRED).build(), cone());
        assertThat(centred.value().getFloat()).isCloseTo(0.6f, within(1e-5f));
        assertThat(centred.diagnostics().get("kept_pairs")).isEqualTo(2.0);
    }
}
