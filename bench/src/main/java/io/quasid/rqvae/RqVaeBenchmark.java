package io.quasid.rqvae;

import ai.djl.Device;
import io.quasid.core.training.AdamW;
import io.quasid.plugins.quasid.DualTowerContrastive;
import io.quasid.plugins.quasid.Hamr;
import io.quasid.plugins.quasid.QuaSidConfig;
import io.quasid.spi.Cvpm;
import io.quasid.spi.Embeddings;
import io.quasid.spi.PairSource;
import io.quasid.spi.Sid;
import io.quasid.spi.TokenizerContext;
import io.quasid.spi.TrainingProgress;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The RQ-VAE hot paths at the reference size (384-d input, L = 3, K = 256, latent 32): one training step
 * on 1,024 rows (plain, or with QuaSID's losses on 512 pairs), and SID assignment of one million vectors.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Dquasid.progress=false", "-Xmx12g"})
public class RqVaeBenchmark {
    private static final int DIMENSION = 384;
    private static final int ROWS = 1024;

    @Param({"2"})
    public int threads;

    /** {@code none}: plain RQ-VAE on item batches; {@code quasid}: CVPM + HaMR + contrastive on pair batches of the same rows. */
    @Param({"none", "quasid"})
    public String plugins;

    private Embeddings catalogue;
    private Embeddings million;
    private RqVaeNetwork network;
    private AdamW optimizer;
    private RqVaeTraining training;
    private int[] rows;
    private long step;

    static Embeddings random(int n, long seed) {
        Random random = new Random(seed);
        float[] v = new float[n * DIMENSION];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian() / (float) Math.sqrt(DIMENSION);
        }
        return Embeddings.of(v, n, DIMENSION);
    }

    @Setup(Level.Trial)
    public void setUp() {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        io.quasid.core.NativeMemory.tune(); // as the quasid commands run (-Dquasid.native_memory=default: the C library's defaults)
        catalogue = random(8 * ROWS, 1);
        RqVaeConfig config = RqVaeConfig.DEFAULTS.toBuilder().epochs(1_000_000).checkpointEvery(0).build();
        TokenizerContext.Builder context = TokenizerContext.builder(Device.cpu(), 1);
        if (plugins.equals("quasid")) {
            QuaSidConfig q = QuaSidConfig.DEFAULTS;
            context.losses(List.of(new Hamr(q), new DualTowerContrastive(q))).pairMasks(List.of(new Cvpm("quasid", q.mask()))).pairs(new PairSource() {
                public int size() {
                    return catalogue.rows() - 1;
                }

                public int trigger(int k) {
                    return k;
                }

                public int target(int k) {
                    return k + 1;
                }
            });
        }
        training = new RqVaeTraining(config, Quantizer.STRAIGHT_THROUGH, catalogue, context.build());
        network = new RqVaeNetwork(config, Quantizer.STRAIGHT_THROUGH, DIMENSION, Device.cpu(), 1);
        optimizer = new AdamW(network.parameters(), config.learningRate(), config.weightDecay(), config.clipGradNorm());
        training.initialiseCodebooks(network); // as training starts: codes spread by k-means, so collisions are as rare as in training
        rows = training.plan().rows(0, 0);
    }

    @Setup(Level.Trial)
    public void setUpMillion() {
        million = random(1_000_000, 2);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        network.close();
    }

    /** One default RQ-VAE step on 1,024 items: forward, losses, backward, AdamW. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, time = 5)
    @Measurement(iterations = 5, time = 10)
    public RqVaeTraining.Step trainingStep() {
        long s = step++;
        return training.step(network, optimizer, rows, new TrainingProgress(s, Long.MAX_VALUE, 0, 1), false);
    }

    /** SIDs for one million 384-d vectors (run with plugins = none; the losses play no part in assignment). */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public Sid[] assignMillion() {
        return RqVaeTokenizer.assign(network, million);
    }
}
