package io.quasid.core.pairs;

import java.util.Arrays;

/**
 * Swing's inner loop (METHOD.md §2) over numbered users and items, one user at a time: for user {@code u},
 * every later user {@code v} who shares two or more items with {@code u} adds
 * {@code 2 w_u w_v / (alpha + n)} ({@code n} shared items; both orders of the user pair count) to every
 * ordered pair of their shared items. An item counts a user only when its user list holds them (with every
 * user listed, the shared items are {@code I_u & I_v}; a capped list leaves some out). {@link SwingPairs}
 * runs it over all users in one JVM, the Spark job over ranges of users in its tasks.
 */
public final class SwingTerms {
    /** Receives one term of an ordered item pair. */
    public interface Visitor {
        void term(int a, int b, double term);
    }

    private final int[][] itemsOf;
    private final int[] itemCount;
    private final int[][] usersOf;
    private final double[] weight;
    private final double alpha;
    private final int[] shared;
    private final int[][] common;
    private final int[] touched;

    /**
     * {@code itemsOf[u]}: user {@code u}'s distinct items, ascending (read only for the users visited: a
     * task that visits some users may leave the others' empty); {@code itemCount[u]}: how many items user
     * {@code u} has (every user's: it bounds the items two users share); {@code usersOf[i]}: the users item
     * {@code i} counts, ascending; {@code weight[u]}: {@code w_u}.
     */
    public SwingTerms(int[][] itemsOf, int[] itemCount, int[][] usersOf, double[] weight, double alpha) {
        this.itemsOf = itemsOf;
        this.itemCount = itemCount;
        this.usersOf = usersOf;
        this.weight = weight;
        this.alpha = alpha;
        this.shared = new int[itemsOf.length];
        this.common = new int[itemsOf.length][];
        this.touched = new int[itemsOf.length];
    }

    /** The users of each of {@code items} items, ascending, from each user's items {@code itemsOf}. */
    public static int[][] usersOf(int[][] itemsOf, int items) {
        int[] count = new int[items];
        for (int[] mine : itemsOf) {
            for (int i : mine) {
                count[i]++;
            }
        }
        int[][] usersOf = new int[items][];
        for (int i = 0; i < items; i++) {
            usersOf[i] = new int[count[i]];
            count[i] = 0;
        }
        for (int u = 0; u < itemsOf.length; u++) {
            for (int i : itemsOf[u]) {
                usersOf[i][count[i]++] = u;
            }
        }
        return usersOf;
    }

    /** Visits the terms of user {@code u} with every later user, in the order of the users' first shared item, then item order. */
    public void ofUser(int u, Visitor visitor) {
        int count = 0;
        for (int i : itemsOf[u]) {
            int[] users = usersOf[i];
            if (Arrays.binarySearch(users, u) < 0) {
                continue; // the item does not count this user
            }
            for (int v : users) {
                if (v > u) {
                    if (shared[v] == 0) {
                        touched[count++] = v;
                        common[v] = new int[Math.min(itemsOf[u].length, itemCount[v])];
                    }
                    common[v][shared[v]++] = i;
                }
            }
        }
        for (int t = 0; t < count; t++) {
            int v = touched[t];
            int n = shared[v];
            int[] items = common[v];
            shared[v] = 0;
            common[v] = null;
            if (n < 2) {
                continue;
            }
            double term = 2 * weight[u] * weight[v] / (alpha + n);
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    if (a != b) {
                        visitor.term(items[a], items[b], term);
                    }
                }
            }
        }
    }
}
