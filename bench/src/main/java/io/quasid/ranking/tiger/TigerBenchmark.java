package io.quasid.ranking.tiger;

import ai.djl.Device;
import io.quasid.core.sid.SidTable;
import io.quasid.core.training.AdamW;
import io.quasid.spi.CodebookShape;
import io.quasid.spi.Sid;
import java.util.ArrayList;
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
 * The generative retriever's hot paths at Beauty's scale (12,101 items, L = 3, K = 256): one training
 * step on {@code batch_size} examples (examples per second = batch / time), and decoding
 * {@link TigerModel#DECODE_USERS} users with beam 20 into lists of 10 (users per second = 64 / time), with
 * histories of {@code history} items. {@code size}: {@code reference} is the peers' 4+4 / 128 / 6x64 / 1024
 * ({@link TigerConfig#REFERENCE}); {@code default} the defaults, 2+2 / 64 / 2x32 / 256; each with either {@code input}.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Dquasid.progress=false", "-Xmx12g"})
public class TigerBenchmark {
    private static final int ITEMS = 12_101;

    @Param({"2"})
    public int threads;

    @Param({"reference", "default"})
    public String size;

    /** What the encoder reads: {@code tokens}, a position per token (the default), or {@code items}, one per item ({@link EncoderInput}). */
    @Param({"tokens", "items"})
    public String input;

    /** Items in each history (at most {@code max_length}, 20): 20 is the worst case; Beauty's training examples average about 4. */
    @Param({"20", "4"})
    public int history;

    private TigerModel model;
    private AdamW optimizer;
    private List<TigerTrainer.Example> batch;
    private List<int[]> users;

    @Setup(Level.Trial)
    public void setUp() {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        io.quasid.core.NativeMemory.tune(); // as the quasid commands run (-Dquasid.native_memory=default: the C library's defaults)
        TigerConfig config = (size.equals("reference") ? TigerConfig.REFERENCE : TigerConfig.DEFAULTS).toBuilder()
                .encoderInput(EncoderInput.of(input)).build();
        Random random = new Random(1);
        List<String> items = new ArrayList<>();
        Sid[] sids = new Sid[ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            items.add(String.format("i%06d", i));
            sids[i] = Sid.of(random.nextInt(256), random.nextInt(256), random.nextInt(256));
        }
        model = TigerModel.untrained(config, new SidTable(items, sids, new CodebookShape(3, 256)), Device.cpu(), 1);
        optimizer = new AdamW(model.network().parameters(), config.learningRate(), config.weightDecay(), 10);
        batch = new ArrayList<>();
        users = new ArrayList<>();
        for (int b = 0; b < config.batchSize(); b++) {
            int[] recent = random.ints(history, 0, ITEMS).toArray();
            batch.add(new TigerTrainer.Example(recent, random.nextInt(ITEMS)));
            if (b < TigerModel.DECODE_USERS) {
                users.add(recent);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    /** One training step on a batch of sliding-window examples: forward, token cross-entropy, backward, AdamW. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2, time = 10)
    @Measurement(iterations = 3, time = 20)
    public double trainingStep() {
        return TigerTrainer.step(model, optimizer, batch, model.config().learningRate());
    }

    /** Beam search (beam 20, lists of 10) for 64 users. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2, time = 10)
    @Measurement(iterations = 3, time = 20)
    public Object decode() {
        return model.generate(users, 10);
    }
}
