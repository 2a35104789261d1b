package io.quasid.plugins.quasid;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.quasid.spi.LossTerm;
import io.quasid.spi.SidLoss;
import io.quasid.spi.TrainingBatch;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * The dual-tower contrastive objective (METHOD.md §3.3): symmetric in-batch InfoNCE between the
 * normalised encoder outputs of the triggers (rows {@code 0..B-1}) and of their targets (rows
 * {@code B..2B-1}), temperature {@code tau}, weight {@code lambda_cl}. Both towers share the encoder.
 *
 * <p>False-negative mask: for anchor pair {@code i}, another pair {@code j} is left out of the
 * denominator when it is not a true negative: its candidate item is the anchor's true partner's item,
 * or the anchor's own item, or the two pairs share their trigger (or their target).
 */
public final class DualTowerContrastive implements SidLoss {
    public static final String NAME = "quasid.contrastive";
    private static final float EXCLUDED = 1e9f;

    private final QuaSidConfig config;

    @Inject
    public DualTowerContrastive(QuaSidConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean requiresPairs() {
        return config.contrastive();
    }

    @Override
    public LossTerm compute(TrainingBatch batch, NDArray validPairs) {
        int b = batch.layout().pairs();
        NDManager m = batch.z().getManager();
        if (!config.contrastive() || b == 0) {
            return LossTerm.of(batch.z().sum().mul(0f));
        }
        NDArray e = Hamr.normalise(batch.z());
        NDArray triggers = e.get(new NDIndex(":{}", b));
        NDArray targets = e.get(new NDIndex("{}:", b));
        NDArray logits = triggers.matMul(targets.transpose()).div((float) config.tau()); // (B, B): trigger i vs target j
        NDArray excluded = m.create(falseNegatives(batch.items(), b)).reshape(b, b).toType(DataType.FLOAT32, false).mul(EXCLUDED);
        NDArray eye = m.eye(b);
        NDArray triggerToTarget = logits.sub(excluded).logSoftmax(1).mul(eye).sum(new int[] {1}).mean().neg();
        NDArray targetToTrigger = logits.transpose().sub(excluded.transpose()).logSoftmax(1).mul(eye).sum(new int[] {1}).mean().neg();
        NDArray infoNce = triggerToTarget.add(targetToTrigger).mul(0.5f);
        float accuracy = logits.sub(excluded).argMax(1).eq(m.arange(b).toType(DataType.INT64, false)).toType(DataType.FLOAT32, false)
                .mean().getFloat();
        return new LossTerm(infoNce.mul((float) config.lambdaCl()), Map.of("info_nce", (double) infoNce.getFloat(),
                "top1_accuracy", (double) accuracy));
    }

    /**
     * {@code (B, B)}: true where target {@code j} is left out of trigger {@code i}'s denominator (the
     * transpose serves the other direction). The diagonal (the true pair) is never left out.
     */
    static boolean[] falseNegatives(int[] items, int b) {
        boolean[] out = new boolean[b * b];
        for (int i = 0; i < b; i++) {
            int trigger = items[i];
            int partner = items[i + b];
            for (int j = 0; j < b; j++) {
                if (i != j) {
                    int candidate = items[j + b];
                    out[i * b + j] = candidate == partner || candidate == trigger || items[j] == trigger;
                }
            }
        }
        return out;
    }
}
