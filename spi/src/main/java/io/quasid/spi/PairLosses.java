package io.quasid.spi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.Map;

/**
 * Building blocks that collision-aware plugins share (METHOD.md §3): normalisation and the dual-tower in-batch InfoNCE with its false-negative mask. Pure NDArray code on
 * the batch's device.
 */
public final class PairLosses {
    private static final float EXCLUDED = 1e9f;

    private PairLosses() {}

    /** {@code z / sqrt(||z||^2 + 1e-8)} row by row: smooth at 0, so a near-zero row cannot blow up the gradient. */
    public static NDArray normalise(NDArray z) {
        return z.div(z.square().sum(new int[] {1}, true).add(1e-8f).sqrt());
    }

    /**
     * The cosine distances {@code D_ij = 1 - e_i . e_j} of the row pairs {@code (first[p], second[p])} of the
     * normalised rows {@code e}, one per pair, differentiable with respect to {@code e}. The rows are read through
     * {@link Rows}, as every gathered table a loss depends on (at a step's few dozen pairs an index {@code get},
     * int32 or int64, took the same time; README, "Speed of the hot paths").
     */
    public static NDArray distances(NDArray e, int[] first, int[] second) {
        NDManager m = e.getManager();
        return Rows.of(e, m.create(longs(first))).mul(Rows.of(e, m.create(longs(second)))).sum(new int[] {1}).neg().add(1f);
    }

    /**
     * Whether each pair {@code (first[p], second[p])} is valid in {@code validPairs} {@code (n, n)} boolean: only
     * these entries leave the device, not the whole {@code n x n} mask (a megabyte a step at 1,024 rows).
     */
    static boolean[] validAt(NDArray validPairs, int[] first, int[] second) {
        if (first.length == 0) {
            return new boolean[0];
        }
        long n = validPairs.getShape().get(1);
        long[] flat = new long[first.length];
        for (int p = 0; p < flat.length; p++) {
            flat[p] = first[p] * n + second[p];
        }
        return validPairs.reshape(-1).get(new NDIndex("{}", validPairs.getManager().create(flat))).toBooleanArray();
    }

    /** Every pair of {@code n} rows but a row with itself, {@code (n, n)} booleans. */
    public static NDArray offDiagonal(NDManager m, int n) {
        return m.eye(n).toType(DataType.BOOLEAN, false).logicalNot();
    }

    private static long[] longs(int[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** The InfoNCE value and the share of triggers whose best-scoring target is their own. */
    public record InfoNce(NDArray loss, double top1Accuracy) {
        public Map<String, Double> diagnostics() {
            return Map.of("info_nce", (double) loss.getFloat(), "top1_accuracy", top1Accuracy);
        }
    }

    /**
     * The dual-tower contrastive objective (METHOD.md §3.3): symmetric in-batch InfoNCE between the
     * normalised encoder outputs of the triggers (rows {@code 0..B-1}) and of their targets (rows
     * {@code B..2B-1}; item rows after them take no part) at temperature {@code tau}. For anchor pair
     * {@code i}, another pair {@code j} is left out of the denominator when it is not a true negative: its
     * candidate item is the anchor's true partner's item, or the anchor's own item, or the two pairs share
     * their trigger (or their target). The batch must be paired.
     */
    public static InfoNce infoNce(TrainingBatch batch, double tau) {
        int b = batch.layout().pairs();
        if (b == 0) {
            throw new IllegalArgumentException("the dual-tower contrastive loss needs a paired batch (trigger, target rows)");
        }
        NDManager m = batch.z().getManager();
        NDArray e = batch.e();
        NDArray triggers = e.get(new NDIndex(":{}", b));
        NDArray targets = e.get(new NDIndex("{}:{}", b, 2 * b));
        NDArray logits = Scalars.div(triggers.matMul(targets.transpose()), tau); // (B, B): trigger i vs target j
        NDArray excluded = Scalars.mul(falseNegatives(m, batch.items(), b).toType(DataType.FLOAT32, false), EXCLUDED);
        NDArray eye = m.eye(b);
        NDArray triggerToTarget = logits.sub(excluded).logSoftmax(1).mul(eye).sum(new int[] {1}).mean().neg();
        NDArray targetToTrigger = logits.transpose().sub(excluded.transpose()).logSoftmax(1).mul(eye).sum(new int[] {1}).mean().neg();
        float accuracy = logits.sub(excluded).argMax(1).eq(m.arange(b).toType(DataType.INT64, false)).toType(DataType.FLOAT32, false)
                .mean().getFloat();
        return new InfoNce(Scalars.mul(triggerToTarget.add(targetToTrigger), 0.5), accuracy);
    }

    /**
     * {@code (B, B)} boolean, made on {@code m}'s device from the rows' items: true where target {@code j} is left
     * out of trigger {@code i}'s denominator (the transpose serves the other direction). The diagonal (the true
     * pair) is never left out.
     */
    public static NDArray falseNegatives(NDManager m, int[] items, int b) {
        long[] triggerItems = new long[b];
        long[] targetItems = new long[b];
        for (int i = 0; i < b; i++) {
            triggerItems[i] = items[i];
            targetItems[i] = items[i + b];
        }
        NDArray trigger = m.create(triggerItems);
        NDArray target = m.create(targetItems);
        // row i, column j: target j is trigger i's partner's item, or trigger i's own item, or the two share their trigger
        NDArray out = target.expandDims(0).eq(target.expandDims(1))
                .logicalOr(target.expandDims(0).eq(trigger.expandDims(1)))
                .logicalOr(trigger.expandDims(0).eq(trigger.expandDims(1)));
        return out.logicalAnd(offDiagonal(m, b));
    }
}
