package io.quasid.ranking.mahout;

import java.util.Arrays;
import java.util.Collection;
import org.apache.mahout.cf.taste.common.Refreshable;
import org.apache.mahout.cf.taste.common.TasteException;
import org.apache.mahout.cf.taste.impl.common.FastIDSet;
import org.apache.mahout.cf.taste.impl.common.LongPrimitiveIterator;
import org.apache.mahout.cf.taste.impl.similarity.LogLikelihoodSimilarity;
import org.apache.mahout.cf.taste.model.DataModel;
import org.apache.mahout.cf.taste.similarity.ItemSimilarity;

/**
 * Taste's log-likelihood similarity of every item pair some user shares, computed once by
 * {@link LogLikelihoodSimilarity} and kept as flat arrays: per item (Taste item ids {@code 0..n-1}) its
 * co-occurring items in ascending order and their similarities, so a lookup is a binary search instead of
 * {@code GenericItemSimilarity}'s two boxed-map lookups. A pair no user shares has no similarity (NaN), as there.
 */
final class CoOccurrenceSimilarity implements ItemSimilarity {
    private final long[][] neighbours;
    private final double[][] values;

    private CoOccurrenceSimilarity(long[][] neighbours, double[][] values) {
        this.neighbours = neighbours;
        this.values = values;
    }

    /** The similarities of the pairs that co-occur in {@code model}, whose item ids are {@code 0..items-1}. */
    static CoOccurrenceSimilarity of(DataModel model, int items) throws TasteException {
        FastIDSet[] shared = new FastIDSet[items];
        LongPrimitiveIterator users = model.getUserIDs();
        while (users.hasNext()) {
            long[] own = model.getItemIDsFromUser(users.nextLong()).toArray();
            for (long a : own) {
                FastIDSet set = shared[(int) a] == null ? (shared[(int) a] = new FastIDSet()) : shared[(int) a];
                for (long b : own) {
                    if (b != a) {
                        set.add(b);
                    }
                }
            }
        }
        LogLikelihoodSimilarity llr = new LogLikelihoodSimilarity(model);
        long[][] neighbours = new long[items][];
        double[][] values = new double[items][];
        for (int a = 0; a < items; a++) {
            neighbours[a] = shared[a] == null ? new long[0] : shared[a].toArray();
            Arrays.sort(neighbours[a]);
            values[a] = new double[neighbours[a].length];
            for (int k = 0; k < neighbours[a].length; k++) {
                long b = neighbours[a][k];
                // the value of the ordered pair (min, max), as the upper-triangle computation stored it
                values[a][k] = b > a ? llr.itemSimilarity(a, b) : Double.NaN;
            }
        }
        for (int a = 0; a < items; a++) { // the lower triangle from the upper, so both orders give the same value
            for (int k = 0; k < neighbours[a].length; k++) {
                long b = neighbours[a][k];
                if (b < a) {
                    values[a][k] = values[(int) b][Arrays.binarySearch(neighbours[(int) b], a)];
                }
            }
        }
        return new CoOccurrenceSimilarity(neighbours, values);
    }

    @Override
    public double itemSimilarity(long a, long b) {
        if (a < 0 || a >= neighbours.length) {
            return Double.NaN;
        }
        int k = Arrays.binarySearch(neighbours[(int) a], b);
        return k < 0 ? Double.NaN : values[(int) a][k];
    }

    /**
     * Taste's item-based recommender asks {@code itemSimilarities(candidate, history)} for every candidate
     * of a user with the same history, so each thread keeps that history's similarity rows as dense arrays
     * (row {@code k}: the similarity of every item to {@code others[k]}, NaN where they share no user; the
     * pairs are symmetric) and answers a candidate by one array read a history item instead of a binary
     * search. Rows are rebuilt when the history differs (by content) and reset entry by entry; a history
     * whose rows would exceed {@link #DENSE_LIMIT} values is answered by search.
     */
    @Override
    public double[] itemSimilarities(long a, long[] others) {
        double[] out = new double[others.length];
        if ((long) others.length * neighbours.length > DENSE_LIMIT) {
            for (int k = 0; k < others.length; k++) {
                out[k] = itemSimilarity(a, others[k]);
            }
            return out;
        }
        double[][] rows = HISTORY.get().rows(this, others);
        boolean known = a >= 0 && a < neighbours.length;
        for (int k = 0; k < others.length; k++) {
            out[k] = known ? rows[k][(int) a] : Double.NaN;
        }
        return out;
    }

    /** The most history-row values a thread keeps (8 bytes each). */
    static final long DENSE_LIMIT = 1L << 24;

    private static final ThreadLocal<HistoryRows> HISTORY = ThreadLocal.withInitial(HistoryRows::new);

    /** One thread's rows of the last history asked about. */
    private static final class HistoryRows {
        private CoOccurrenceSimilarity owner;
        private long[] history = new long[0];
        private double[][] rows = new double[0][];

        double[][] rows(CoOccurrenceSimilarity similarity, long[] others) {
            if (similarity == owner && java.util.Arrays.equals(others, history)) {
                return rows;
            }
            if (similarity != owner) { // another store's rows: another catalogue, start afresh
                rows = new double[0][];
                history = new long[0];
            }
            for (int k = 0; k < history.length; k++) { // reset what the last history wrote (its rows are rows[0 .. history.length - 1])
                if (owner.has(history[k])) {
                    for (long b : owner.neighbours[(int) history[k]]) {
                        rows[k][(int) b] = Double.NaN;
                    }
                }
            }
            if (rows.length < others.length) {
                double[][] grown = java.util.Arrays.copyOf(rows, others.length);
                for (int k = rows.length; k < others.length; k++) {
                    grown[k] = new double[similarity.neighbours.length];
                    java.util.Arrays.fill(grown[k], Double.NaN);
                }
                rows = grown;
            }
            for (int k = 0; k < others.length; k++) {
                if (similarity.has(others[k])) {
                    int b = (int) others[k];
                    long[] near = similarity.neighbours[b];
                    double[] values = similarity.values[b];
                    for (int n = 0; n < near.length; n++) {
                        rows[k][(int) near[n]] = values[n];
                    }
                }
            }
            owner = similarity;
            history = others.clone();
            return rows;
        }
    }

    private boolean has(long item) {
        return item >= 0 && item < neighbours.length;
    }

    @Override
    public long[] allSimilarItemIDs(long item) {
        return item < 0 || item >= neighbours.length ? new long[0] : neighbours[(int) item].clone();
    }

    @Override
    public void refresh(Collection<Refreshable> alreadyRefreshed) {
        // computed once from a fixed data model
    }
}
