package io.quasid.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import io.quasid.spi.Rows;
import io.quasid.spi.Scalars;

/**
 * The mean cross-entropy of a full softmax over a catalogue, {@code mean_i -log softmax(h_i W^T)[t_i]}
 * for rows {@code h} {@code (N, d)}, output vectors {@code W} {@code (n, d)} and targets {@code t}, with
 * its gradient written in closed form rather than recorded op by op.
 *
 * <p>The logits {@code Z = h W^T} are the one large array ({@code N x n}, about 1,700 x 12,101 a SASRec
 * batch on Beauty). Recorded by autograd, {@code logSoftmax(Z).gather(t).mean()} writes {@code Z}, its
 * log-softmax, a zero-filled gradient of the same size with the targets scattered in, and the
 * log-softmax's backward, each through main memory: the step is bound by that traffic. Here {@code Z} and
 * its softmax {@code P} are computed outside the graph from detached copies of {@code h} and {@code W},
 * {@value #BLOCK} rows at a time so that a block's logits stay in cache, and the gradient
 * {@code dZ = (P - onehot(t)) / N} is applied through its two small products:
 * {@code dh = (P W - W[t]) / N} and {@code dW = (P^T h - scatter_t(h)) / N}. {@link #loss} returns the
 * surrogate {@code sum(h * A) + sum(W * B) - sum(h * W[t]) / N} with {@code A = P W / N} and
 * {@code B = P^T h / N} held constant, whose gradient is exactly that (the one-hot part through autograd's
 * small gather), so backward never sees {@code Z}, and the matrix products stay the three of the recorded form.
 */
public final class SoftmaxCrossEntropy {
    /** Rows of {@code h} per block: a block's logits over Beauty's catalogue are 12 MB. */
    static final int BLOCK = 256;

    private SoftmaxCrossEntropy() {}

    /**
     * The loss: {@code value} the mean cross-entropy, {@code surrogate} a scalar on the gradient path whose
     * gradient with respect to {@code h} and {@code W} is the cross-entropy's (its own value is not the loss).
     */
    public record Loss(double value, NDArray surrogate) {}

    /** {@code h} {@code (N, d)}, {@code w} {@code (n, d)}, {@code targets} {@code (N)} int64 rows of {@code w}. */
    public static Loss loss(NDArray h, NDArray w, NDArray targets) {
        long rows = h.getShape().get(0);
        if (rows == 0) {
            throw new IllegalArgumentException("a cross-entropy over no rows");
        }
        NDArray hd = h.stopGradient();
        NDArray wd = w.stopGradient();
        NDArray wdt = wd.transpose().reshape(wd.getShape().get(1), -1); // contiguous, for the product with the blocks
        NDList a = new NDList();
        NDArray b = null;
        double sum = 0;
        for (long from = 0; from < rows; from += BLOCK) {
            NDIndex block = new NDIndex("{}:{}", from, Math.min(rows, from + BLOCK));
            NDArray hb = hd.get(block);
            NDArray tb = targets.get(block);
            NDArray z = hb.matMul(wdt);
            NDArray p = z.softmax(1);
            sum += crossEntropy(z, p.gather(tb.expandDims(1), 1).toFloatArray(), tb.toLongArray());
            z.close();
            a.add(p.matMul(wd));
            NDArray pb = p.transpose().matMul(hb);
            p.close();
            b = b == null ? pb : b.addi(pb);
        }
        NDArray surrogate = h.mul(Scalars.div(a.size() == 1 ? a.head() : NDArrays.concat(a), rows)).sum()
                .add(w.mul(Scalars.div(b, rows)).sum())
                .sub(Scalars.div(h.mul(Rows.of(w, targets)).sum(), rows));
        return new Loss(sum / rows, surrogate);
    }

    /**
     * The summed {@code -log P[i, t_i]} of a block from its targets' probabilities; a probability below
     * float's normal range (a loss above 87) is recomputed from the row's logits by a log-softmax.
     */
    private static double crossEntropy(NDArray z, float[] target, long[] column) {
        double sum = 0;
        for (int i = 0; i < target.length; i++) {
            sum -= target[i] >= Float.MIN_NORMAL ? Math.log(target[i]) : z.get(i).logSoftmax(0).getFloat(column[i]);
        }
        return sum;
    }
}
