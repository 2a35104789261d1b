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
        return RankingMetrics.of(targetRanks(split, test, targets, rule));
    }

    /**
     * For serving and for the lists {@code evaluate} scores: for each history (item indices, oldest
     * first), the best {@code k} items, best first, leaving out the history's items when {@code rule}
     * says so (fewer only when the model can name fewer). Call it on a loaded model, which no longer
     * trains.
     */
    List<List<Scored>> recommend(List<int[]> histories, int k, HistoryRule rule);

    /**
     * Grows the catalogue the model ranks to {@code catalogue}, whose first rows are {@link #sids()} unchanged
     * and whose others are items new to the model with their SIDs (as {@code StableAssignment.extend} makes
     * such a table): from then on {@link #sids()} is {@code catalogue} and the new items can be listed, at
     * once, from their SIDs alone. For a loaded model that serves; not concurrent with {@link #recommend}.
     * Fails as {@link #checkAddItems} does, changing nothing.
     */
    void addItems(SidTable catalogue);

    /** Fails, naming what, when {@link #addItems} of {@code catalogue} would: it does not extend the model's table, or the model cannot name a new item. */
    void checkAddItems(SidTable catalogue);

    /** Writes the model into {@code dir}, atomically, so that {@link RankingModels#load} reads it back. */
    void save(Path dir);

    @Override
    void close();
}
