package io.quasid.rqvae;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.quasid.core.Progress;
import io.quasid.core.training.AdamW;
import io.quasid.core.training.Overwrite;
import io.quasid.spi.CodebookShape;
import io.quasid.spi.Embeddings;
import io.quasid.spi.LossTerm;
import io.quasid.spi.PairLayout;
import io.quasid.spi.PairLosses;
import io.quasid.spi.PairMask;
import io.quasid.spi.SidCodes;
import io.quasid.spi.Sid;
import io.quasid.spi.SidLoss;
import io.quasid.spi.TokenizerContext;
import io.quasid.spi.TrainingProgress;
import io.quasid.spi.ValidPairs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains an RQ-VAE with whatever losses and pair masks the context binds (METHOD.md §1, §3.4): per step
 * it builds the SPI batch view, asks every mask and loss for its part, adds them to
 * {@code L_rec + L_rq}, and takes one AdamW step. With nothing bound it is the plain RQ-VAE.
 */
final class RqVaeTraining {
    private static final Logger LOG = LoggerFactory.getLogger(RqVaeTraining.class);

    private final RqVaeConfig config;
    private final Quantizer quantizer;
    private final Embeddings items;
    private final TokenizerContext context;
    private final Map<String, Object> provenance;
    private final BatchPlan plan;
    private final CodebookShape shape;
    /** The context's losses, each prepared with the catalogue ({@link SidLoss#prepare}). */
    private final List<SidLoss> losses;
    /**
     * The native memory a step's input rows are copied into, reused from step to step: a fresh 1.5 MB per
     * step (a Java array, then a direct buffer) cost 1-3 ms of first-touch page faults on a VM, a twelfth of
     * a step. On the CPU the engine reads this memory in place, so the previous step's input must be closed
     * before it is refilled, as every step's arrays are.
     */
    private ByteBuffer batch;

    RqVaeTraining(RqVaeConfig config, Quantizer quantizer, Embeddings items, TokenizerContext context) {
        this.config = config;
        this.quantizer = quantizer;
        this.items = items;
        this.context = context;
        this.shape = config.shape();
        this.plan = new BatchPlan(items.rows(), config.batchRows(), config.itemRows(), context.seed(), context.pairs());
        if (config.kmeansInit() && items.rows() < config.codes()) {
            throw new IllegalArgumentException("k-means initialisation of " + config.codes() + " codes needs at least as many items;"
                    + " the catalogue has " + items.rows() + " (lower codes (K) or set kmeans_init = false)");
        }
        this.provenance = TokenizerFiles.provenance(quantizer.tokenizer(), items, shape, config, context);
        this.losses = context.losses().stream().map(loss -> loss.prepare(items, shape, context.seed())).toList();
    }

    BatchPlan plan() {
        return plan;
    }

    RqVaeTokenizer run() {
        long start = System.nanoTime();
        RqVaeNetwork network = new RqVaeNetwork(config, quantizer, items.dimension(), context.device(), context.seed());
        try {
            AdamW optimizer = new AdamW(network.parameters(), config.learningRate(), config.weightDecay(), config.clipGradNorm());
            Checkpoint checkpoint = new Checkpoint(context.checkpoints(), identity());
            int firstEpoch = 0;
            List<Map<String, Double>> history = new ArrayList<>();
            if (context.resume() && checkpoint.exists()) {
                firstEpoch = checkpoint.restore(network, optimizer, history);
                LOG.info("resuming from {} after epoch {} of {}", checkpoint.dir(), firstEpoch, config.epochs());
            } else if (config.kmeansInit() || quantizer == Quantizer.SIMVQ) {
                initialiseCodebooks(network);
            }
            int steps = plan.stepsPerEpoch();
            long totalSteps = (long) steps * config.epochs();
            try (Progress progress = Progress.start("train " + quantizer.tokenizer(), totalSteps, "steps")) {
                progress.stepBy((long) firstEpoch * steps);
                for (int epoch = firstEpoch; epoch < config.epochs(); epoch++) {
                    Map<String, Double> summary = epoch(network, optimizer, epoch, progress);
                    history.add(summary);
                    context.listener().onEpoch(epoch, config.epochs(), summary);
                    boolean last = epoch + 1 == config.epochs();
                    if (last || (epoch + 1) % Math.max(1, config.epochs() / 10) == 0) {
                        LOG.info("epoch {}/{}: {}", epoch + 1, config.epochs(), format(summary));
                    }
                    if (config.checkpointEvery() > 0 && ((epoch + 1) % config.checkpointEvery() == 0 || last)) {
                        checkpoint.write(network, optimizer, epoch + 1, history);
                    }
                }
            }
            Map<String, Object> metadata = identity();
            metadata.put("training", Map.of("epochs", config.epochs(), "steps", totalSteps,
                    "seconds", (System.nanoTime() - start) / 1e9, "history", history));
            return new RqVaeTokenizer(network, metadata);
        } catch (RuntimeException | Error e) {
            network.close();
            throw e;
        }
    }

    private static String format(Map<String, Double> values) {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> {
            if (!k.equals("epoch")) {
                b.append(b.length() > 0 ? ", " : "").append(k).append(String.format(java.util.Locale.ROOT, "=%.4g", v));
            }
        });
        return b.toString();
    }

    /** What a model and a checkpoint are tied to: a checkpoint resumes only a run with the same identity. */
    private Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>(provenance);
        m.put("losses", context.losses().stream().map(SidLoss::name).toList());
        m.put("pair_masks", context.pairMasks().stream().map(PairMask::name).toList());
        m.put("pair_batches", context.pairs().isPresent());
        return m;
    }

    /**
     * Codebooks fitted to the encoder outputs of a sample, level by level on the residuals: k-means (METHOD.md
     * §1), or SimVQ's layer fitted to each level's residuals ({@link RqVaeNetwork#fitLevel}).
     */
    void initialiseCodebooks(RqVaeNetwork network) {
        Random random = new Random(BatchPlan.mix(context.seed(), Long.MIN_VALUE));
        int n = Math.min(items.rows(), config.kmeansSample());
        int[] sample = java.util.Arrays.copyOf(BatchPlan.permutation(items.rows(), random), n);
        try (NDManager manager = network.manager().newSubManager(); NDScope scope = new NDScope()) {
            NDArray residual = network.encode(manager.create(items.gather(sample), new Shape(n, items.dimension())));
            for (int l = 0; l < config.levels(); l++) {
                if (quantizer == Quantizer.SIMVQ) {
                    network.fitLevel(l, residual);
                } else {
                    NDArray centers = KMeans.fit(residual, config.codes(), config.kmeansIterations(), random, manager);
                    Overwrite.with(network.codebooks()[l], centers.toFloatArray());
                }
                NDArray codebook = network.codebooks()[l];
                residual = residual.sub(Codebooks.gather(codebook, Codebooks.nearest(residual, codebook)));
            }
        }
    }

    private Map<String, Double> epoch(RqVaeNetwork network, AdamW optimizer, int epoch, Progress progress) {
        int steps = plan.stepsPerEpoch();
        PairLayout layout = plan.layout();
        int n = layout.rows();
        int levels = config.levels();
        Map<String, Double> sums = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        int[][] latest = new int[items.rows()][];
        int[][] usage = new int[levels][config.codes()];
        float[][] lastResiduals = null;
        for (int s = 0; s < steps; s++) {
            long step = (long) epoch * steps + s;
            TrainingProgress where = new TrainingProgress(step, (long) steps * config.epochs(), epoch, config.epochs());
            int[] rows = plan.rows(epoch, s);
            Step outcome = step(network, optimizer, rows, where, true);
            Map<String, Double> values = outcome.values();
            int[] codes = outcome.codes();
            boolean skipped = values.get("skipped") > 0;
            if (!skipped) {
                lastResiduals = outcome.residuals();
                add(usage, SidCodes.of(codes, levels).usage(config.codes()));
                for (int r = 0; r < n; r++) {
                    latest[rows[r]] = java.util.Arrays.copyOfRange(codes, r * levels, (r + 1) * levels);
                }
            }
            values.forEach((k, v) -> {
                if (Double.isFinite(v)) {
                    sums.merge(k, v, Double::sum);
                    counts.merge(k, 1, Integer::sum);
                }
            });
            context.listener().onStep(where, values);
            progress.stepBy(1);
            if (s == steps - 1) {
                progress.extra(String.format(java.util.Locale.ROOT, "epoch %d/%d loss %.4f", epoch + 1, config.epochs(),
                        sums.getOrDefault("loss", Double.NaN) / counts.getOrDefault("loss", 1)));
            }
        }
        if (!counts.containsKey("grad_norm")) {
            throw new IllegalStateException("training diverged in epoch " + (epoch + 1) + ": every step had a non-finite loss or"
                    + " gradient; lower the learning rate or the loss weights");
        }
        Map<String, Double> summary = new LinkedHashMap<>();
        summary.put("epoch", (double) (epoch + 1));
        // a diagnostic a loss reports only on some steps (e.g. the mean distance of a non-empty tier) is averaged over those
        sums.forEach((k, v) -> summary.put(k, v / counts.get(k)));
        summary.put("collision_rate", collisionRate(latest));
        int dead = 0;
        for (int l = 0; l < levels; l++) {
            int used = 0;
            for (int c : usage[l]) {
                used += c > 0 ? 1 : 0;
            }
            summary.put("utilisation/" + (l + 1), (double) used / config.codes());
            if (config.reseedDeadCodes() && epoch + 1 < config.epochs()) {
                dead += reseed(network.codebooks()[l], usage[l], lastResiduals[l], new Random(BatchPlan.mix(context.seed(), epoch * 31L + l)));
            }
        }
        summary.put("reseeded_codes", (double) dead);
        progress.extra(String.format(java.util.Locale.ROOT, "epoch %d/%d loss %.4f collisions %.2f%%", epoch + 1,
                config.epochs(), summary.get("loss"), 100 * summary.get("collision_rate")));
        return summary;
    }

    /** What one optimizer step reports: its loss values and diagnostics, the rows' codes, and (if asked) each level's residuals. */
    record Step(Map<String, Double> values, int[] codes, float[][] residuals) {}

    /** The rows {@code rows} of the catalogue {@code (n, d)}, through {@link #batch}. */
    private NDArray input(NDManager manager, int[] rows) {
        int bytes = rows.length * items.dimension() * Float.BYTES;
        if (batch == null || batch.capacity() < bytes) {
            batch = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        batch.clear().limit(bytes);
        items.gather(rows, batch.asFloatBuffer());
        return manager.create(batch, new Shape(rows.length, items.dimension()), DataType.FLOAT32);
    }

    /** One optimizer step on the items {@code rows}: forward, every bound mask and loss, backward, AdamW. */
    Step step(RqVaeNetwork network, AdamW optimizer, int[] rows, TrainingProgress where, boolean keepResiduals) {
        PairLayout layout = plan.layout();
        int n = layout.rows();
        Map<String, Double> values = new LinkedHashMap<>();
        int[] codes;
        float[][] residuals = null;
        try (NDManager manager = network.manager().newSubManager()) {
            try (NDScope scope = new NDScope(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray x = input(manager, rows);
                NDArray z = network.encode(x);
                RqVaeNetwork.Quantized q = network.quantize(z);
                NDArray reconstruction = network.decode(q.quantized());
                NDArray rec = reconstruction.sub(x).square().sum(new int[] {1}).mean();
                NDArray total = rec.add(q.rqLoss());
                values.put("rec", (double) rec.getFloat());
                values.put("rq", (double) q.rqLoss().getFloat());
                if (!losses.isEmpty()) {
                    StepBatch batch = new StepBatch(z, PairLosses.normalise(z), x, q.codes(), rows, layout, where, shape);
                    ValidPairs valid = ValidPairs.of(batch, context.pairMasks());
                    for (SidLoss loss : losses) {
                        LossTerm term = loss.compute(batch, valid);
                        if (term.value().getShape().size() != 1) {
                            throw new IllegalStateException("loss '" + loss.name() + "' returned shape " + term.value().getShape()
                                    + ", not a scalar");
                        }
                        total = total.add(term.value());
                        values.put(loss.name(), (double) term.value().getFloat());
                        term.diagnostics().forEach((k, v) -> values.put(loss.name() + "/" + k, v));
                    }
                }
                values.put("loss", (double) total.getFloat());
                if (Double.isFinite(values.get("loss"))) {
                    collector.backward(total);
                }
                codes = q.codes().toIntArray();
                if (keepResiduals) {
                    residuals = new float[q.residuals().size()][];
                    for (int l = 0; l < residuals.length; l++) {
                        residuals[l] = q.residuals().get(l).toFloatArray();
                    }
                }
            }
            double gradNorm = Double.isFinite(values.get("loss")) ? optimizer.step() : Double.NaN;
            values.put("skipped", Double.isFinite(gradNorm) ? 0.0 : 1.0);
            if (Double.isFinite(gradNorm)) {
                values.put("grad_norm", gradNorm);
            } else {
                LOG.warn("step {} (epoch {}) skipped: a non-finite loss or gradient; its values: {}", where.step(), where.epoch() + 1, values);
            }
        }
        return new Step(values, codes, residuals);
    }

    /** Share of the items seen this epoch whose latest SID another seen item also has. */
    private static double collisionRate(int[][] latest) {
        Set<Sid> unique = new HashSet<>();
        int seen = 0;
        for (int[] sid : latest) {
            if (sid != null) {
                seen++;
                unique.add(Sid.of(sid));
            }
        }
        return seen == 0 ? 0 : 1 - (double) unique.size() / seen;
    }

    /** {@code into += counts}, level by level. */
    private static void add(int[][] into, int[][] counts) {
        for (int l = 0; l < into.length; l++) {
            for (int c = 0; c < into[l].length; c++) {
                into[l][c] += counts[l][c];
            }
        }
    }

    /** Moves every code unused this epoch onto a random residual of the epoch's last trained batch; returns how many. */
    private static int reseed(NDArray codebook, int[] usage, float[] residuals, Random random) {
        int k = usage.length;
        int d = (int) codebook.getShape().get(1);
        int rows = residuals.length / d;
        float[] values = null;
        int dead = 0;
        for (int code = 0; code < k; code++) {
            if (usage[code] == 0) {
                if (values == null) {
                    values = codebook.toFloatArray();
                }
                System.arraycopy(residuals, random.nextInt(rows) * d, values, code * d, d);
                dead++;
            }
        }
        if (values != null) {
            Overwrite.with(codebook, values);
        }
        return dead;
    }
}
