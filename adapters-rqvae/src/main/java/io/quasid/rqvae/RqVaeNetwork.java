package io.quasid.rqvae;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.quasid.spi.Scalars;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The RQ-VAE of METHOD.md §1: an MLP encoder {@code d_in -> hidden... -> latent}, {@code L} residual
 * codebooks of {@code K} codewords, and the mirrored decoder. Its parameters live in its own manager on
 * one device; every forward result lives in the caller's scope.
 */
final class RqVaeNetwork implements AutoCloseable {
    private final RqVaeConfig config;
    private final int dimension;
    private final NDManager manager;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final List<NDArray[]> encoder = new ArrayList<>();
    private final List<NDArray[]> decoder = new ArrayList<>();
    private final NDArray[] codebooks;

    /** What one forward pass of the quantizer gives. */
    record Quantized(NDArray codes, NDArray quantized, NDArray rqLoss, NDList residuals) {}

    /** A network with PyTorch's default Linear initialisation drawn from {@code seed}, codebooks uniform in [-1, 1]. */
    RqVaeNetwork(RqVaeConfig config, int dimension, Device device, long seed) {
        this.config = config;
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
        for (int l = 0; l < config.levels(); l++) {
            codebooks[l] = parameter("codebook." + (l + 1), uniform(random, config.codes() * config.latent(), 1.0),
                    new Shape(config.codes(), config.latent()));
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

    NDArray[] codebooks() {
        return codebooks;
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
                h = Scalars.maximum(h, 0);
            }
        }
        return h;
    }

    /**
     * Residual quantization with its loss (METHOD.md §1): per level the nearest codeword {@code c} of the
     * residual {@code r}, {@code ||sg(r) - c||^2 + beta ||r - sg(c)||^2} summed over dimensions and averaged
     * over rows, and the next residual {@code r - sg(c)}. {@code quantized} is the straight-through sum of
     * codewords: its value is {@code sum c}, its gradient flows to {@code z}.
     */
    Quantized quantize(NDArray z) {
        NDArray residual = z;
        NDArray sum = null;
        NDArray rqLoss = null;
        NDList codes = new NDList(codebooks.length);
        NDList residuals = new NDList(codebooks.length);
        for (NDArray c : codebooks) {
            residuals.add(residual);
            NDArray k = Codebooks.nearest(residual.stopGradient(), c.stopGradient());
            NDArray chosen = Codebooks.gather(c, k);
            NDArray codebookTerm = residual.stopGradient().sub(chosen).square().sum(new int[] {1}).mean();
            NDArray commitment = Scalars.mul(residual.sub(chosen.stopGradient()).square().sum(new int[] {1}).mean(), config.beta());
            NDArray level = codebookTerm.add(commitment);
            rqLoss = rqLoss == null ? level : rqLoss.add(level);
            residual = residual.sub(chosen.stopGradient());
            sum = sum == null ? chosen.stopGradient() : sum.add(chosen.stopGradient());
            codes.add(k);
        }
        NDArray straightThrough = z.add(sum.sub(z).stopGradient());
        return new Quantized(NDArrays.stack(codes, 1).toType(DataType.INT32, false), straightThrough, rqLoss, residuals);
    }

    @Override
    public void close() {
        manager.close();
    }
}
