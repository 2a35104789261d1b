package io.quasid.spi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Conflict-Aware Valid Pair Masking (METHOD.md §3.1), the one mask QuaSID and AdaSID share (each binds it under its own name): a pair may be
 * repelled unless it is a row with itself, two rows of the same item, or a constructed (trigger, target)
 * pair (rows {@code i} and {@code i + B}). Those overlaps are made by the training protocol and are benign.
 * Switched off (QuaSID's {@code mask = false} ablation) only the diagonal is excluded.
 */
public final class Cvpm implements PairMask {
    private final String name;
    private final boolean on;

    /**
     * The mask as plugin {@code scope} binds it, named {@code scope.cvpm} (mask names are unique across the
     * loaded plugins); {@code on = false} is the ablation that excludes the diagonal only.
     */
    public Cvpm(String scope, boolean on) {
        this.name = scope + ".cvpm";
        this.on = on;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public NDArray compute(TrainingBatch batch) {
        return on ? validPairs(batch) : PairLosses.offDiagonal(batch.z().getManager(), batch.layout().rows());
    }

    /** The same pairs as {@link #compute}'s, decided on the host from the rows' items and the layout. */
    @Override
    public boolean[] at(TrainingBatch batch, int[] first, int[] second) {
        int[] items = batch.items();
        PairLayout layout = batch.layout();
        boolean[] out = new boolean[first.length];
        for (int p = 0; p < out.length; p++) {
            int i = first[p];
            int j = second[p];
            out[p] = i != j && !(on && (items[i] == items[j] || layout.partner(i) == j));
        }
        return out;
    }

    /** The mask switched on, {@code (N, N)} booleans. */
    private static NDArray validPairs(TrainingBatch batch) {
        NDManager m = batch.z().getManager();
        int n = batch.layout().rows();
        NDArray items = m.create(batch.items());
        NDArray sameItem = items.expandDims(1).eq(items.expandDims(0)); // includes the diagonal
        PairLayout layout = batch.layout();
        if (!layout.paired()) {
            return sameItem.logicalNot();
        }
        int[] partners = new int[n];
        for (int row = 0; row < n; row++) {
            partners[row] = layout.partner(row);
        }
        NDArray constructed = m.arange(n).expandDims(0).eq(m.create(partners).expandDims(1));
        return sameItem.logicalOr(constructed).logicalNot();
    }
}
