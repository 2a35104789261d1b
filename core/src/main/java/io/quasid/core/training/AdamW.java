package io.quasid.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * AdamW (Loshchilov and Hutter, 2019) with decoupled weight decay, as PyTorch's {@code torch.optim.AdamW}
 * computes it, updating parameters in place with the engine's fused per-parameter update. Its
 * moments are created up front, next to the parameters, so they survive every step scope and can be
 * checkpointed.
 */
public final class AdamW {
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPSILON = 1e-8;

    private final Map<String, NDArray> parameters;
    private final double learningRate;
    private final double weightDecay;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private long steps;

    private final double clipNorm;

    /** {@code clipNorm}: gradients whose global L2 norm exceeds it are scaled down to it (0: never). */
    public AdamW(Map<String, NDArray> parameters, double learningRate, double weightDecay, double clipNorm) {
        this.parameters = parameters;
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
        this.clipNorm = clipNorm;
        parameters.forEach((name, p) -> {
            m.put(name, p.zerosLike());
            v.put(name, p.zerosLike());
        });
    }

    /**
     * One update from the gradients of the last backward pass, which it then zeroes; returns their global
     * L2 norm before clipping. A step whose gradients are not all finite changes nothing (and returns a
     * non-finite norm).
     */
    public double step() {
        return step(learningRate);
    }

    /** {@link #step()} at {@code rate} instead of the learning rate given at construction (for a schedule). */
    public double step(double rate) {
        double norm;
        try (NDScope scope = new NDScope()) {
            NDList norms = new NDList(parameters.size());
            for (NDArray p : parameters.values()) {
                norms.add(p.getGradient().norm()); // one pass, no squared copy
            }
            norm = NDArrays.stack(norms).norm().getFloat();
            if (!Double.isFinite(norm)) {
                Map<String, Float> largest = new LinkedHashMap<>();
                parameters.forEach((name, p) -> largest.put(name, p.getGradient().abs().max().getFloat()));
                LoggerFactory.getLogger(AdamW.class).warn("non-finite gradient; largest absolute gradient per parameter: {}", largest);
                // NaN x 0 is NaN: the gradients are overwritten, not scaled, or every later step would fail too
                parameters.values().forEach(p -> p.getGradient().set(new NDIndex("..."), 0f));
                return norm;
            }
        }
        float scale = clipNorm > 0 && norm > clipNorm ? (float) (clipNorm / norm) : 1f;
        steps++;
        double correction1 = 1 - Math.pow(BETA1, steps);
        double correction2 = 1 - Math.pow(BETA2, steps);
        // the engine's fused update (one native call per parameter, gradient zeroed after) computes
        // p -= lr wd p; m = b1 m + (1 - b1) s g; v = b2 v + (1 - b2) (s g)^2; p -= lr' m / (sqrt(v) + eps'):
        // with lr' = lr sqrt(c2) / c1 and eps' = eps sqrt(c2) that is p -= lr (m / c1) / (sqrt(v / c2) + eps)
        float corrected = (float) (rate * Math.sqrt(correction2) / correction1);
        float epsilon = (float) (EPSILON * Math.sqrt(correction2));
        try (NDScope scope = new NDScope()) {
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                NDArray p = e.getValue();
                p.getNDArrayInternal().adamUpdate(new NDList(p, p.getGradient(), m.get(e.getKey()), v.get(e.getKey())), new NDList(p),
                        (float) rate, corrected, (float) weightDecay, scale, -1f, (float) BETA1, (float) BETA2, epsilon, false, true);
            }
        }
        return norm;
    }

    public long steps() {
        return steps;
    }

    public Map<String, NDArray> firstMoments() {
        return m;
    }

    public Map<String, NDArray> secondMoments() {
        return v;
    }

    /** Restores the step count of a checkpoint; the moments are restored by writing into {@link #firstMoments()} and {@link #secondMoments()}. */
    public void restoreSteps(long value) {
        steps = value;
    }
}
