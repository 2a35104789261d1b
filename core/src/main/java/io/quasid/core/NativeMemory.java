package io.quasid.core;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The C allocator's settings for the engine's tensors. PyTorch's CPU tensors come from {@code malloc}; glibc
 * serves a block above its mmap threshold (128 KiB at start, raised only as such blocks are freed) with a fresh
 * {@code mmap}, whose pages the kernel faults in and zeroes on first touch, and returns freed memory at the top
 * of its heap to the system. A batch of 4,096 rows through the RQ-VAE encoder allocates blocks of several
 * megabytes every step, so until the threshold has risen a process pays page faults for the same memory again
 * and again. {@link #tune} sets {@code M_MMAP_THRESHOLD} to {@value #MMAP_THRESHOLD} bytes (glibc's largest),
 * {@code M_TRIM_THRESHOLD} to {@value #TRIM_THRESHOLD} and {@code M_TOP_PAD} to {@value #TOP_PAD}: freed blocks
 * up to 32 MiB are reused and up to 1 GiB of freed memory is kept for the next batch. Measured in the README
 * (the Spark assignment's reading-and-assigning stage). Off with {@code -Dquasid.native_memory=default}; glibc
 * on Linux only (elsewhere nothing changes).
 */
public final class NativeMemory {
    private static final Logger LOG = LoggerFactory.getLogger(NativeMemory.class);
    /** The system property that turns the tuning off ({@code default}); {@code tuned} is the default. */
    public static final String PROPERTY = "quasid.native_memory";
    static final int MMAP_THRESHOLD = 32 << 20;
    static final int TRIM_THRESHOLD = 1 << 30;
    static final int TOP_PAD = 256 << 20;
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;
    /** Whether glibc took the settings; null until {@link #tune} first runs (read and written under its lock). */
    private static Boolean tuned;

    private NativeMemory() {}

    /** glibc's {@code mallopt}. */
    interface C extends Library {
        int mallopt(int param, int value);
    }

    /**
     * Applies the settings once per process (before the engine allocates, best); returns whether glibc took them.
     * Fails naming the property when it is neither {@code tuned} nor {@code default}.
     */
    public static synchronized boolean tune() {
        String choice = System.getProperty(PROPERTY, "tuned");
        io.quasid.spi.Settings.oneOf(PROPERTY, choice, java.util.List.of("tuned", "default"));
        if (tuned != null) {
            return tuned;
        }
        boolean ok = false;
        if (choice.equals("tuned") && Platform.isLinux() && !Platform.isAndroid()) {
            try {
                C c = Native.load("c", C.class);
                ok = c.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 & c.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
                        & c.mallopt(M_TOP_PAD, TOP_PAD) == 1;
            } catch (UnsatisfiedLinkError | RuntimeException e) { // no glibc (musl has no mallopt): leave the allocator as it is
                LOG.debug("mallopt not available: {}", e.toString());
            }
        }
        LOG.debug("native memory {}", ok ? "tuned" : "left at the C library's defaults");
        tuned = ok;
        return ok;
    }
}
