package io.quasid.rqvae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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
 * The machine's float32 matrix-multiply throughput through the same engine and threads as training: one
 * {@code (N, N) x (N, N)} product, {@code 2 N^3} flops (N = 1,024: 2.15 GFLOP). Run beside
 * {@link RqVaeBenchmark#trainingStep} to express a training step as a share of what the cores can do.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Dquasid.progress=false"})
public class MatMulBenchmark {
    @Param({"2"})
    public int threads;

    @Param({"1024"})
    public int n;

    private NDManager manager;
    private NDArray a;
    private NDArray b;

    @Setup(Level.Trial)
    public void setUp() {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        io.quasid.core.NativeMemory.tune(); // as the quasid commands run (-Dquasid.native_memory=default: the C library's defaults)
        manager = NDManager.newBaseManager("PyTorch");
        Random random = new Random(1);
        float[] values = new float[n * n];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        a = manager.create(values, new Shape(n, n));
        b = manager.create(values, new Shape(n, n)).transpose().duplicate();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    /** One product; GFLOP/s = 2 n^3 / time. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, time = 3)
    @Measurement(iterations = 5, time = 5)
    public float matMul() {
        try (NDArray c = a.matMul(b)) {
            return c.getFloat(0, 0);
        }
    }
}
