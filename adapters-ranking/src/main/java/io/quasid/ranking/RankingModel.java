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
     * Full-catalogue ranking metrics on the test targets ({@code test = true}) or the validation targets,
     * over the evaluated users whose target passes {@code targets} (all when null), the lists following
     * {@code rule} (the history being every item before the target).
     */
    RankingMetrics evaluate(LeaveOneOutSplit split, boolean test, IntPredicate targets, HistoryRule rule);

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
