package io.quasid.ranking;

import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.core.ranking.RankingMetrics;
import io.quasid.core.sid.SidTable;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntPredicate;

/** A trained next-item model of any kind (the SID-feature ranker, the generative retriever), as evaluation and serving see it. */
public interface RankingModel extends AutoCloseable {
    /** The catalogue's items and their SIDs: item index {@code i} everywhere is row {@code i}. */
    SidTable sids();

    /**
     * The 0-based rank of the test target ({@code test = true}) or the validation target of every evaluated
     * user whose target passes {@code targets} (all when null), in user order, the lists following {@code rule}
     * (the history being every item before the target); a target the model does not list ranks past every cut-off.
     */
    long[] targetRanks(LeaveOneOutSplit split, boolean test, IntPredicate targets, HistoryRule rule);

    /** Full-catalogue ranking metrics of {@link #targetRanks}. */
    default RankingMetrics evaluate(LeaveOneOutSplit split, boolean test, IntPredicate targets, HistoryRule rule) {
        RankingMetrics metrics = new RankingMetrics();
        for (long rank : targetRanks(split, test, targets, rule)) {
            metrics.add(rank);
        }
        return metrics;
    }

    /**
     * For serving and for the lists {@code evaluate} scores: for each history (item indices, oldest
     * first), the best {@code k} items, best first, leaving out the history's items when {@code rule}
     * says so (fewer only when the model can name fewer). Call it on a loaded model, which no longer
     * trains.
     */
    List<List<Scored>> recommend(List<int[]> histories, int k, HistoryRule rule);

    /** Writes the model into {@code dir}, atomically, so that {@link RankingModels#load} reads it back. */
    void save(Path dir);

    @Override
    void close();
}
