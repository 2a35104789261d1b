package io.quasid.ranking;

import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.core.ranking.RankingMetrics;
import java.nio.file.Path;
import java.util.function.IntPredicate;

/** A trained next-item model of any kind (the SID-feature ranker, the generative retriever), as evaluation sees it. */
public interface RankingModel extends AutoCloseable {
    /**
     * Full-catalogue ranking metrics on the test targets ({@code test = true}) or the validation targets,
     * over the evaluated users whose target passes {@code targets} (all when null).
     */
    RankingMetrics evaluate(LeaveOneOutSplit split, boolean test, IntPredicate targets);

    /** Writes the model into {@code dir}, atomically, so that its kind's {@code load} reads it back. */
    void save(Path dir);

    @Override
    void close();
}
