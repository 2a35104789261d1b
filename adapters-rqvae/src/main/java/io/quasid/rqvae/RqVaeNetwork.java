package io.quasid.rqvae;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.quasid.core.training.Overwrite;
import io.quasid.spi.Scalars;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The RQ-VAE of METHOD.md §1: an MLP encoder {@code d_in -> hidden... -> latent}, {@code L} residual
 * codebooks of {@code K} codewords made as its {@link Quantizer} says, and the mirrored decoder. Its
 * parameters live in its own manager on one device; every forward result lives in the caller's scope.
 */
final class RqVaeNetwork implements AutoCloseable {
    private final RqVaeConfig config;
    private final Quantizer quantizer;
    private final int dimension;
    private final NDManager manager;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    /** Arrays saved with the parameters but never trained (SimVQ's bases). */
    private final Map<String, NDArray> frozen = new LinkedHashMap<>();
    private final List<NDArray[]> encoder = new ArrayList<>();
    private final List<NDArray[]> decoder = new ArrayList<>();
    /** Per level: the codewords {@code (K, D)}, or SimVQ's basis. */
    private final NDArray[] codebooks;
    /** SimVQ only: per level the learned layer {weight (D, D), bias (D)}. */
    private final NDArray[][] projections;

    /** What one forward pass of the quantizer gives. */
    record Quantized(NDArray codes, NDArray quantized, NDArray rqLoss, NDList residuals) {}

    /**
     * A network with PyTorch's default Linear initialisation drawn from {@code seed}; codebooks uniform in [-1, 1]
     * (SimVQ: bases from N(0, 1/D) and the layer initialised like Linear).
     */
    RqVaeNetwork(RqVaeConfig config, Quantizer quantizer, int dimension, Device device, long seed) {
        this.config = config;
        this.quantizer = quantizer;
        this.dimension = dimension;
        this.manager = NDManager.newBaseManager(device, "PyTorch");
        Random random = new Random(seed);
        List<Integer> widths = new ArrayList<>();
        widths.add(dimension);
        widths.addAll(config.hidden());
        widths.add(config.latent());
        for (int i = 0; i + 1 < widths.size(); i++) {
            encoder.add(linear("encoder." + i, widths.get(i), widths.get(i + 1), random));
        }
        Collections.reverse(widths);
        for (int i = 0; i + 1 < widths.size(); i++) {
            decoder.add(linear("decoder." + i, widths.get(i), widths.get(i + 1), random));
        }
        codebooks = new NDArray[config.levels()];
        projections = quantizer == Quantizer.SIMVQ ? new NDArray[config.levels()][] : null;
        int d = config.latent();
        for (int l = 0; l < config.levels(); l++) {
            if (quantizer == Quantizer.SIMVQ) {
                float[] basis = new float[config.codes() * d];
                for (int i = 0; i < basis.length; i++) {
                    basis[i] = (float) (random.nextGaussian() / Math.sqrt(d));
                }
                codebooks[l] = manager.create(basis, new Shape(config.codes(), d));
                codebooks[l].setName("basis." + (l + 1));
                frozen.put(codebooks[l].getName(), codebooks[l]);
                projections[l] = linear("projection." + (l + 1), d, d, random);
            } else {
                codebooks[l] = parameter("codebook." + (l + 1), uniform(random, config.codes() * d, 1.0), new Shape(config.codes(), d));
            }
        }
    }

    private NDArray[] linear(String name, int in, int out, Random random) {
        double bound = 1 / Math.sqrt(in);
        return new NDArray[] {
            parameter(name + ".weight", uniform(random, in * out, bound), new Shape(in, out)),
            parameter(name + ".bias", uniform(random, out, bound), new Shape(out))
        };
    }

    private static float[] uniform(Random random, int n, double bound) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return v;
    }

    private NDArray parameter(String name, float[] values, Shape shape) {
        NDArray p = manager.create(values, shape);
        p.setName(name);
        p.setRequiresGradient(true);
        parameters.put(name, p);
        return p;
    }

    RqVaeConfig config() {
        return config;
    }

    Quantizer quantizer() {
        return quantizer;
    }

    int dimension() {
        return dimension;
    }

    NDManager manager() {
        return manager;
    }

    /** Every trainable array by name, in a fixed order. */
    Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** Every array a saved model or checkpoint holds: the parameters, then the frozen arrays. */
    Map<String, NDArray> arrays() {
        Map<String, NDArray> all = new LinkedHashMap<>(parameters);
        all.putAll(frozen);
        return Collections.unmodifiableMap(all);
    }

    /**
     * The codewords of every level {@code (K, D)}: the learned arrays themselves, or (SimVQ) {@code B W + b}
     * computed in the caller's scope, differentiable with respect to the layer.
     */
    NDArray[] codebooks() {
        if (quantizer != Quantizer.SIMVQ) {
            return codebooks;
        }
        NDArray[] made = new NDArray[codebooks.length];
        for (int l = 0; l < made.length; l++) {
            made[l] = codebooks[l].matMul(projections[l][0]).add(projections[l][1]);
        }
        return made;
    }

    /**
     * SimVQ only: sets level {@code level}'s layer so that its codewords {@code B W + b} start as a sample of a
     * diagonal Gaussian fitted to {@code residuals} {@code (N, D)}: {@code b} their mean, {@code W} the diagonal of
     * their standard deviations times {@code sqrt(D)} (a basis row has variance {@code 1/D} per dimension).
     */
    void fitLevel(int level, NDArray residuals) {
        int d = config.latent();
        float[] mean = residuals.mean(new int[] {0}).toFloatArray();
        float[] sd = residuals.sub(residuals.mean(new int[] {0}, true)).square().mean(new int[] {0}).sqrt().toFloatArray();
        float[] w = new float[d * d];
        for (int j = 0; j < d; j++) {
            w[j * d + j] = (float) (sd[j] * Math.sqrt(d));
        }
        Overwrite.with(projections[level][0], w);
        Overwrite.with(projections[level][1], mean);
    }

    /** {@code z} {@code (N, latent)} from {@code x} {@code (N, d_in)}. */
    NDArray encode(NDArray x) {
        return mlp(x, encoder);
    }

    /** The reconstruction {@code (N, d_in)} from quantized latents. */
    NDArray decode(NDArray zq) {
        return mlp(zq, decoder);
    }

    private static NDArray mlp(NDArray x, List<NDArray[]> layers) {
        NDArray h = x;
        for (int i = 0; i < layers.size(); i++) {
            h = h.matMul(layers.get(i)[0]).add(layers.get(i)[1]);
            if (i + 1 < layers.size()) {
                h = Activation.relu(h);
            }
        }
        return h;
    }

    /**
     * Residual quantization with its loss (METHOD.md §1): per level the nearest codeword {@code c} of the
     * residual {@code r}, {@code ||sg(r) - c||^2 + beta ||r - sg(c)||^2} summed over dimensions and averaged
     * over rows, and the next residual {@code r - sg(c)}. {@code quantized} is the straight-through sum of
     * codewords: its value is {@code sum c}, its gradient flows to {@code z} (copied, or rotated by
     * {@link Quantizer#ROTATION}).
     */
    Quantized quantize(NDArray z) {
        NDArray residual = z;
        NDArray sum = null;
        NDArray rqLoss = null;
        NDArray[] levels = codebooks();
        NDList codes = new NDList(levels.length);
        NDList residuals = new NDList(levels.length);
        for (NDArray c : levels) {
            residuals.add(residual);
            NDArray fixedResidual = residual.stopGradient();
            NDArray k = Codebooks.nearest(fixedResidual, c.stopGradient());
            NDArray chosen = Codebooks.gather(c, k);
            NDArray fixedChosen = chosen.stopGradient();
            NDArray codebookTerm = fixedResidual.sub(chosen).square().sum(new int[] {1}).mean();
            NDArray next = residual.sub(fixedChosen); // r - sg(c): the commitment's difference and the next level's residual
            NDArray commitment = Scalars.mul(next.square().sum(new int[] {1}).mean(), config.beta());
            NDArray level = codebookTerm.add(commitment);
            rqLoss = rqLoss == null ? level : rqLoss.add(level);
            residual = next;
            sum = sum == null ? fixedChosen : sum.add(fixedChosen);
            codes.add(k);
        }
        NDArray quantized = quantizer == Quantizer.ROTATION ? rotated(z, sum) : z.add(sum.sub(z).stopGradient());
        return new Quantized(NDArrays.stack(codes, 1).toType(DataType.INT32, false), quantized, rqLoss, residuals);
    }

    /**
     * The rotation trick: {@code lambda R z} with {@code R z = z - 2 r (r.z) + 2 q^ (e^.z)}, {@code e^ = z/|z|},
     * {@code q^ = q/|q|}, {@code r = (e^ + q^)/|e^ + q^|} and {@code lambda = |q|/|z|}, all but {@code z} without
     * gradient; its value is {@code q} (the rotation takes {@code e^} to {@code q^}).
     */
    static NDArray rotated(NDArray z, NDArray q) {
        NDArray e = z.stopGradient();
        NDArray eNorm = norm(e);
        NDArray qNorm = norm(q);
        NDArray eHat = e.div(eNorm);
        NDArray qHat = q.div(qNorm);
        NDArray r = eHat.add(qHat);
        r = r.div(norm(r));
        NDArray rz = z.mul(r).sum(new int[] {1}, true);
        NDArray ez = z.mul(eHat).sum(new int[] {1}, true);
        NDArray rotatedZ = z.sub(Scalars.mul(r.mul(rz), 2)).add(Scalars.mul(qHat.mul(ez), 2));
        return rotatedZ.mul(qNorm.div(eNorm));
    }

    /** Row norms {@code (N, 1)}, at least 1e-12 so that a zero row divides safely. */
    private static NDArray norm(NDArray x) {
        return Scalars.maximum(x.square().sum(new int[] {1}, true).sqrt(), 1e-12);
    }

    @Override
    public void close() {
        manager.close();
    }
}
