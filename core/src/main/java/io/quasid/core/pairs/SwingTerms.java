package io.quasid.core.pairs;

import java.util.ArrayList;
import java.util.List;

/**
 * Swing's inner loop (METHOD.md §2) over numbered users and items, one trigger item at a time: every
 * neighbour {@code j} of trigger {@code i} gets {@code sum over user pairs u != v who both have i and j of
 * w_u w_v / (alpha + n_uv)}, {@code n_uv} the items the two share. Only the user pairs that share an item
 * besides {@code i} are ever visited (most of an item's user pairs share it alone and add nothing), each in
 * the row of every item they share. An item counts a user only when its user list holds them (with every
 * user listed, the shared items are {@code I_u & I_v}; a capped list leaves some out). {@link SwingPairs}
 * runs it over every item in one JVM, the Spark job over blocks of items in its tasks.
 */
public final class SwingTerms {
    /** Receives the score of one neighbour of the trigger. */
    public interface Neighbour {
        void score(int j, double score);
    }

    private final int[][] itemsOf;
    private final int[][] usersOf;
    private final double[] weight;
    private final double alpha;
    // scratch, per item: how many of the trigger's users have it, where its list of them starts, the next one's place, its score
    private final int[] count;
    private final int[] start;
    private final int[] next;
    private final double[] score;
    private int[] touched = new int[16];
    private int[] lists = new int[16];
    // scratch, per user of the trigger (by place in its list): items shared with the user visited besides the trigger
    private int[] shared = new int[16];
    private int[] later = new int[16];

    /**
     * {@code itemsOf[u]}: the items whose user lists hold user {@code u} (read only for the users of the
     * triggers visited); {@code usersOf[i]}: the users item {@code i} counts, ascending (read only for the
     * triggers visited); {@code weight[u]}: {@code w_u}.
     */
    public SwingTerms(int[][] itemsOf, int[][] usersOf, double[] weight, double alpha) {
        this.itemsOf = itemsOf;
        this.usersOf = usersOf;
        this.weight = weight;
        this.alpha = alpha;
        int items = usersOf.length;
        this.count = new int[items];
        this.start = new int[items];
        this.next = new int[items];
        this.score = new double[items];
    }

    /** The users of each of {@code items} items, ascending, from each user's items {@code itemsOf}. */
    public static int[][] usersOf(int[][] itemsOf, int items) {
        return usersOf(itemsOf, items, i -> true);
    }

    /** {@link #usersOf(int[][], int)} for the items {@code listed} accepts; the others get no users. */
    public static int[][] usersOf(int[][] itemsOf, int items, java.util.function.IntPredicate listed) {
        int[] count = new int[items];
        for (int[] mine : itemsOf) {
            for (int i : mine) {
                if (listed.test(i)) {
                    count[i]++;
                }
            }
        }
        int[][] usersOf = new int[items][];
        for (int i = 0; i < items; i++) {
            usersOf[i] = new int[count[i]];
            count[i] = 0;
        }
        for (int u = 0; u < itemsOf.length; u++) {
            for (int i : itemsOf[u]) {
                if (listed.test(i)) {
                    usersOf[i][count[i]++] = u;
                }
            }
        }
        return usersOf;
    }

    /** Gives {@code out} the best {@code k} neighbours of trigger {@code i}, best first: higher score, then the smaller item number. */
    public void bestOfTrigger(int i, int k, Neighbour out) {
        List<double[]> neighbours = new ArrayList<>();
        ofTrigger(i, (j, score) -> neighbours.add(new double[] {j, score}));
        neighbours.sort((x, y) -> x[1] == y[1] ? Double.compare(x[0], y[0]) : Double.compare(y[1], x[1]));
        for (double[] n : neighbours.subList(0, Math.min(k, neighbours.size()))) {
            out.score((int) n[0], n[1]);
        }
    }

    /**
     * Gives {@code out} the score of every neighbour of trigger {@code i} (each once, in no order): the items
     * that two or more of its users share with it.
     */
    public void ofTrigger(int i, Neighbour out) {
        int[] users = usersOf[i];
        if (users.length < 2) {
            return;
        }
        if (shared.length < users.length) {
            shared = new int[users.length];
            later = new int[users.length];
        }
        // the other items of the trigger's users, each with the list of those users (places in users, ascending)
        int items = 0;
        int total = 0;
        for (int u : users) {
            for (int j : itemsOf[u]) {
                if (j != i) {
                    if (count[j]++ == 0) {
                        touched = grown(touched, items);
                        touched[items++] = j;
                    }
                    total++;
                }
            }
        }
        if (lists.length < total) {
            lists = new int[Math.max(total, 2 * lists.length)];
        }
        for (int t = 0, at = 0; t < items; t++) {
            int j = touched[t];
            start[j] = at;
            next[j] = at;
            at += count[j];
        }
        for (int a = 0; a < users.length; a++) {
            for (int j : itemsOf[users[a]]) {
                if (j != i) {
                    lists[next[j]++] = a;
                }
            }
        }
        for (int t = 0; t < items; t++) {
            next[touched[t]] = start[touched[t]]; // from here: the place of the user visited in the item's list
        }
        for (int a = 0; a < users.length; a++) {
            int[] mine = itemsOf[users[a]];
            int pairs = 0;
            for (int j : mine) { // the items each later user shares with this one besides i
                if (j != i) {
                    for (int q = next[j] + 1, end = start[j] + count[j]; q < end; q++) {
                        int b = lists[q];
                        if (shared[b]++ == 0) {
                            later[pairs++] = b;
                        }
                    }
                }
            }
            for (int j : mine) { // each such pair shares i, j and shared[b] - 1 more: n_uv = shared[b] + 1
                if (j != i) {
                    double sum = 0;
                    for (int q = ++next[j], end = start[j] + count[j]; q < end; q++) {
                        int b = lists[q];
                        sum += weight[users[b]] / (alpha + shared[b] + 1);
                    }
                    score[j] += 2 * weight[users[a]] * sum; // both orders of each user pair
                }
            }
            for (int p = 0; p < pairs; p++) {
                shared[later[p]] = 0;
            }
        }
        for (int t = 0; t < items; t++) {
            int j = touched[t];
            if (count[j] >= 2) {
                out.score(j, score[j]);
            }
            count[j] = 0;
            score[j] = 0;
        }
    }

    private static int[] grown(int[] array, int size) {
        return size < array.length ? array : java.util.Arrays.copyOf(array, 2 * array.length);
    }
}
