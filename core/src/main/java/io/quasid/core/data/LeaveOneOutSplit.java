package io.quasid.core.data;

import io.quasid.spi.Settings;
import java.util.Arrays;

/**
 * The leave-one-out split of METHOD.md §6: per user (oldest first), the last item is the test target,
 * the one before it the validation target, the rest training history. Users with fewer than three
 * interactions keep them all in training and are not evaluated. Popularity and the cold-start set come
 * from the training part only.
 */
public final class LeaveOneOutSplit {
    /** Default share of least popular items that form the cold-start set (bottom decile). */
    public static final double DEFAULT_COLD_SHARE = 0.1;
    /** Default number of most recent items kept as a user's history. */
    public static final int DEFAULT_HISTORY = 20;

    private final Dataset dataset;
    private final boolean[] removed;
    private final int[] popularity;

    public LeaveOneOutSplit(Dataset dataset) {
        this(dataset, new boolean[dataset.catalogue().size()]);
    }

    private LeaveOneOutSplit(Dataset dataset, boolean[] removed) {
        this.dataset = dataset;
        this.removed = removed;
        this.popularity = new int[dataset.catalogue().size()];
        for (int u = 0; u < dataset.userCount(); u++) {
            for (int item : train(u)) {
                popularity[item]++;
            }
        }
    }

    /**
     * The same split with {@code items} removed from every training part, so they are cold in the
     * strictest sense; validation and test targets and histories stay as they are.
     */
    public LeaveOneOutSplit withoutTraining(int[] items) {
        boolean[] r = removed.clone();
        for (int i : items) {
            r[i] = true;
        }
        return new LeaveOneOutSplit(dataset, r);
    }

    /** True if {@code item} was removed from training by {@link #withoutTraining}. */
    public boolean removedFromTraining(int item) {
        return removed[item];
    }

    private static int trainLength(int n) {
        return n >= 3 ? n - 2 : n;
    }

    public Dataset dataset() {
        return dataset;
    }

    /** True if user {@code u} has validation and test targets. */
    public boolean evaluated(int u) {
        return dataset.sequenceLength(u) >= 3;
    }

    /** User {@code u}'s training items, oldest first (without items removed from training). */
    public int[] train(int u) {
        int[] s = dataset.sequence(u);
        return Arrays.stream(s, 0, trainLength(s.length)).filter(i -> !removed[i]).toArray();
    }

    /** User {@code u}'s validation target; the user must be {@link #evaluated}. */
    public int validationTarget(int u) {
        return requireEvaluated(u)[dataset.sequenceLength(u) - 2];
    }

    /** User {@code u}'s test target; the user must be {@link #evaluated}. */
    public int testTarget(int u) {
        return requireEvaluated(u)[dataset.sequenceLength(u) - 1];
    }

    /** The at most {@code cap} most recent items before the validation target. */
    public int[] validationHistory(int u, int cap) {
        int[] s = requireEvaluated(u);
        return tail(s, s.length - 2, cap);
    }

    /** The at most {@code cap} most recent items before the test target (training items and the validation target). */
    public int[] testHistory(int u, int cap) {
        int[] s = requireEvaluated(u);
        return tail(s, s.length - 1, cap);
    }

    /** Every item of user {@code u} before the test target; all of them for a user who is not evaluated. */
    public int[] beforeTest(int u) {
        int[] s = dataset.sequence(u);
        return evaluated(u) ? Arrays.copyOf(s, s.length - 1) : s;
    }

    private static int[] tail(int[] s, int end, int cap) {
        Settings.inRange("history cap", cap, 1, Integer.MAX_VALUE);
        return Arrays.copyOfRange(s, Math.max(0, end - cap), end);
    }

    private int[] requireEvaluated(int u) {
        if (!evaluated(u)) {
            throw new IllegalArgumentException("user " + dataset.user(u) + " has " + dataset.sequenceLength(u)
                    + " interactions, fewer than the 3 a leave-one-out target needs");
        }
        return dataset.sequence(u);
    }

    /** Number of evaluated users. */
    public int evaluatedUsers() {
        int n = 0;
        for (int u = 0; u < dataset.userCount(); u++) {
            if (evaluated(u)) {
                n++;
            }
        }
        return n;
    }

    /** Number of training interactions per item (a copy). */
    public int[] popularity() {
        return popularity.clone();
    }

    /** Number of training interactions. */
    public long trainInteractions() {
        return Arrays.stream(popularity).asLongStream().sum();
    }

    /** Each item's price ({@code NaN} if unknown), by catalogue index. */
    public double[] prices() {
        return dataset.catalogue().items().stream().mapToDouble(Item::price).toArray();
    }

    /**
     * The cold-start items: every item whose training popularity is at most that of the item at the
     * {@code share} quantile (so the least popular {@code share} of items, ties included), ascending
     * catalogue indices. Items with no training interaction are always included.
     */
    public int[] coldItems(double share) {
        Settings.inRange("cold share", share, 0.0, 1.0);
        int n = popularity.length;
        int[] sorted = popularity.clone();
        Arrays.sort(sorted);
        int rank = Math.max(0, (int) Math.ceil(share * n) - 1);
        int threshold = share == 0.0 ? 0 : sorted[rank];
        return java.util.stream.IntStream.range(0, n).filter(i -> popularity[i] <= threshold).toArray();
    }
}
