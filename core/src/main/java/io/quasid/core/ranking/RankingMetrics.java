package io.quasid.core.ranking;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Leave-one-out ranking metrics (METHOD.md §6) for one held-out target per user: {@code Recall@K}
 * (= hit rate: the target is in the top {@code K}) and {@code NDCG@K} ({@code 1 / log2(rank + 2)} for a
 * 0-based rank below {@code K}, else 0), averaged over users.
 */
public final class RankingMetrics {
    /** The cut-offs reported everywhere: 3, 5 and 10. */
    public static final List<Integer> CUTOFFS = List.of(3, 5, 10);

    private final List<Integer> cutoffs;
    private final double[] recall;
    private final double[] ndcg;
    private long users;

    public RankingMetrics() {
        this(CUTOFFS);
    }

    public RankingMetrics(List<Integer> cutoffs) {
        this.cutoffs = List.copyOf(cutoffs);
        this.recall = new double[cutoffs.size()];
        this.ndcg = new double[cutoffs.size()];
    }

    /** The metrics at {@link #CUTOFFS} of users whose targets ranked {@code ranks} (0 = first). */
    public static RankingMetrics of(long[] ranks) {
        RankingMetrics metrics = new RankingMetrics();
        for (long rank : ranks) {
            metrics.add(rank);
        }
        return metrics;
    }

    /** Adds one user whose target ranked {@code rank} (0 = first) among all candidates. */
    public void add(long rank) {
        if (rank < 0) {
            throw new IllegalArgumentException("rank = " + rank + " is out of range: allowed [0, ...)");
        }
        users++;
        for (int c = 0; c < cutoffs.size(); c++) {
            if (rank < cutoffs.get(c)) {
                recall[c] += 1;
                ndcg[c] += 1 / (Math.log(rank + 2) / Math.log(2));
            }
        }
    }

    /** Adds every user of {@code other}. */
    public void addAll(RankingMetrics other) {
        if (!other.cutoffs.equals(cutoffs)) {
            throw new IllegalArgumentException("cut-offs differ: " + cutoffs + " and " + other.cutoffs);
        }
        users += other.users;
        for (int c = 0; c < cutoffs.size(); c++) {
            recall[c] += other.recall[c];
            ndcg[c] += other.ndcg[c];
        }
    }

    public long users() {
        return users;
    }

    /** {@code recall@K} and {@code ndcg@K} for every cut-off, in that order; 0 when no user was added. */
    public Map<String, Double> values() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int c = 0; c < cutoffs.size(); c++) {
            out.put("recall@" + cutoffs.get(c), users == 0 ? 0 : recall[c] / users);
        }
        for (int c = 0; c < cutoffs.size(); c++) {
            out.put("ndcg@" + cutoffs.get(c), users == 0 ? 0 : ndcg[c] / users);
        }
        return out;
    }

    /**
     * The 0-based rank of {@code target} among {@code scores}: the number of items scoring strictly higher,
     * plus half of the other items tied with it (so ties neither help nor hurt on average).
     */
    public static long rank(float[] scores, int target) {
        float t = scores[target];
        long higher = 0;
        long ties = 0;
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] > t) {
                higher++;
            } else if (scores[i] == t && i != target) {
                ties++;
            }
        }
        return higher + ties / 2;
    }
}
