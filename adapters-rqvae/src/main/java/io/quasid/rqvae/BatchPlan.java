package io.quasid.rqvae;

import io.quasid.spi.PairLayout;
import io.quasid.spi.PairSource;
import java.util.Optional;
import java.util.Random;

/**
 * Which items each optimizer step trains on, a pure function of the seed and the step, so a resumed run
 * sees the batches an uninterrupted one would. Every step has the same number of rows: plain batches
 * take {@code rows} items of a per-epoch permutation (the remainder of an epoch is left out), pair
 * batches take {@code (rows - itemRows) / 2} (trigger, target) pairs from a per-cycle permutation of the
 * pair source, then {@code itemRows} items of the per-epoch permutation.
 */
final class BatchPlan {
    private final int items;
    private final int rows;
    private final int itemRows;
    private final long seed;
    private final Optional<PairSource> pairs;
    private int cachedEpoch = -1;
    private int[] epochOrder;
    private long cachedCycle = -1;
    private int[] cycleOrder;

    BatchPlan(int items, int rows, int itemRows, long seed, Optional<PairSource> pairs) {
        if (rows > items) {
            throw new IllegalArgumentException("batch_rows = " + rows + " is larger than the catalogue (" + items + " items):"
                    + " allowed [2, " + items + "]");
        }
        if (pairs.isPresent() && (rows - itemRows) % 2 != 0) {
            throw new IllegalArgumentException("batch_rows - item_rows = " + (rows - itemRows) + " must be even for pair batches");
        }
        if (pairs.isPresent() && pairs.get().size() < 1) {
            throw new IllegalArgumentException("the pair source holds no pairs");
        }
        this.items = items;
        this.rows = rows;
        this.itemRows = pairs.isPresent() ? itemRows : 0;
        this.seed = seed;
        this.pairs = pairs;
    }

    /** Optimizer steps in one epoch: as many full batches as the catalogue fills. */
    int stepsPerEpoch() {
        return items / rows;
    }

    PairLayout layout() {
        return pairs.isPresent() ? PairLayout.pairs((rows - itemRows) / 2, itemRows) : PairLayout.items(rows);
    }

    /** The catalogue index of each row of step {@code stepInEpoch} of {@code epoch}. */
    int[] rows(int epoch, int stepInEpoch) {
        if (pairs.isEmpty()) {
            return catalogueRows(epoch, stepInEpoch, rows);
        }
        int[] out = pairRows((long) epoch * stepsPerEpoch() + stepInEpoch);
        System.arraycopy(catalogueRows(epoch, stepInEpoch, itemRows), 0, out, rows - itemRows, itemRows);
        return out;
    }

    /** {@code count} items of the epoch's permutation of the catalogue, the {@code step}-th such slice. */
    private int[] catalogueRows(int epoch, int step, int count) {
        if (epoch != cachedEpoch) {
            epochOrder = permutation(items, new Random(mix(seed, epoch)));
            cachedEpoch = epoch;
        }
        int[] out = new int[count];
        System.arraycopy(epochOrder, step * count, out, 0, count);
        return out;
    }

    private int[] pairRows(long step) {
        PairSource source = pairs.orElseThrow();
        int b = (rows - itemRows) / 2;
        int[] out = new int[rows];
        for (int k = 0; k < b; k++) {
            long g = step * b + k;
            long cycle = g / source.size();
            if (cycle != cachedCycle) {
                cycleOrder = permutation(source.size(), new Random(mix(seed, -1 - cycle)));
                cachedCycle = cycle;
            }
            int pair = cycleOrder[(int) (g % source.size())];
            out[k] = source.trigger(pair);
            out[k + b] = source.target(pair);
        }
        return out;
    }

    static int[] permutation(int n, Random random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** A seed for stream {@code stream} of a run seeded with {@code seed} (SplitMix64 finaliser). */
    static long mix(long seed, long stream) {
        long z = seed * 0x9E3779B97F4A7C15L + stream;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
