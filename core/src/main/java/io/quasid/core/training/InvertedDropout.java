package io.quasid.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.quasid.spi.Scalars;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Inverted dropout: each element is kept with probability {@code 1 - rate} and scaled by
 * {@code 1 / (1 - rate)}, the rest are zeroed, so the expectation is unchanged and inference needs no
 * rescaling. The same distribution as PyTorch's {@code dropout}, with the rate rounded to a multiple of
 * 2^-32 (and the scale the inverse of that exact keep probability).
 *
 * <p>The masks are drawn here, in Java, from one seeded generator per network, in blocks of
 * {@value #BLOCK} elements on the common fork-join pool: PyTorch's CPU random draws ({@code bernoulli_},
 * {@code uniform_}) run on one thread, and took a fifth of a generative-retriever training step on Beauty
 * even as vectorised uniforms (README, "Speed"). Each block's generator is derived from the seed, the
 * number of masks drawn before and the block's index, so a seed gives the same masks on any number of
 * threads. On another device than the CPU the mask is drawn there, from the engine's generator (which
 * {@code Engine.setRandomSeed} fixes), rather than copied from the host for every call.
 */
public final class InvertedDropout {
    static final int BLOCK = 1 << 16;
    private static final double TWO_TO_32 = 4294967296.0;

    private final long seed;
    private long masks;

    public InvertedDropout(long seed) {
        this.seed = seed;
    }

    /** {@code x} (float32) with dropout at {@code rate} in {@code [0, 1)}; {@code x} itself when the rate is 0. */
    public NDArray apply(NDArray x, double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout rate = " + rate + " is out of range: allowed [0, 1)");
        }
        if (rate == 0) {
            return x;
        }
        if (x.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("dropout of a " + x.getDataType() + " array: only float32 is supported");
        }
        if (!ai.djl.Device.Type.CPU.equals(x.getDevice().getDeviceType())) {
            NDArray kept = x.getManager().randomUniform(0f, 1f, x.getShape(), x.getDataType(), x.getDevice())
                    .gte(Scalars.of(x, rate)).toType(x.getDataType(), false);
            return x.mul(Scalars.div(kept, 1 - rate));
        }
        int n = Math.toIntExact(x.size());
        long dropBelow = Math.min((long) TWO_TO_32 - 1, Math.round(rate * TWO_TO_32)); // an element drops when its unsigned 32-bit draw is below
        int below = (int) (dropBelow + Integer.MIN_VALUE); // the same comparison on signed ints: draw + 2^31 < dropBelow + 2^31
        float scale = (float) (1 / (1 - dropBelow / TWO_TO_32));
        long mask = masks++;
        NDArray kept = x.getManager().create(x.getShape(), DataType.FLOAT32); // uninitialised: every element is written below
        ByteBuffer view = kept.toByteBuffer(true).order(ByteOrder.nativeOrder()); // on the CPU, a view of its memory
        IntStream.range(0, (n + BLOCK - 1) / BLOCK).parallel().forEach(block -> {
            SplittableRandom random = new SplittableRandom(mix(mix(seed) + mask) + block);
            FloatBuffer out = view.asFloatBuffer();
            int end = Math.min(n, (block + 1) * BLOCK);
            for (int i = block * BLOCK; i < end; i += 2) { // two 32-bit draws from each 64-bit one
                long draws = random.nextLong();
                out.put(i, scale * keeps((int) draws, below));
                if (i + 1 < end) {
                    out.put(i + 1, scale * keeps((int) (draws >>> 32), below));
                }
            }
        });
        return x.mul(kept);
    }

    /**
     * 1 when the unsigned 32-bit {@code draw} is at least the drop threshold, else 0, compared on signed ints
     * shifted by 2^31 ({@code below} is the threshold so shifted), without a branch, which a random mask
     * would mispredict (README, "Speed of the hot paths").
     */
    private static int keeps(int draw, int below) {
        return (int) ((((long) (draw + Integer.MIN_VALUE) - below) >>> 63) ^ 1);
    }

    /** Stafford's mix 13 (the finaliser of {@link SplittableRandom}): neighbouring inputs give unrelated seeds. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
