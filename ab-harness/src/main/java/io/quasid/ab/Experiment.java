package io.quasid.ab;

import io.quasid.ranking.HistoryRule;
import io.quasid.ranking.RankingModels;
import io.quasid.spi.Settings;
import java.nio.file.Path;

/**
 * An A/B experiment: users of the data set in {@code data} are split by a salted hash of their id, a
 * {@code split} share to {@code treatment} and the rest to {@code control}; each arm serves its own
 * saved model (a folder written by {@code quasid evaluate --save-model}, which carries the SID table it
 * was trained with) of its kind: the SID-feature ranking model or the generative retriever.
 */
public record Experiment(String id, Path data, String salt, double split, Arm control, Arm treatment) {
    /**
     * One arm: a saved model, its kind ({@link RankingModels#KINDS}; {@code sasrec} when not given) and
     * whether its lists may hold the user's history items ({@link HistoryRule}; {@code keep} when not
     * given, the rule {@code quasid evaluate} measures by default).
     */
    public record Arm(Path model, String kind, HistoryRule history) {
        public Arm {
            if (model == null) {
                throw new IllegalArgumentException("arm.model is required: the folder of a saved ranking model");
            }
            kind = Settings.oneOf("arm.kind", kind == null ? RankingModels.SASREC : kind, RankingModels.KINDS);
            history = history == null ? HistoryRule.KEEP : history;
        }

        /** A SID-feature ranking model's arm. */
        public Arm(Path model) {
            this(model, RankingModels.SASREC, null);
        }
    }

    public static final String CONTROL = "control";
    public static final String TREATMENT = "treatment";

    public Experiment {
        if (id == null || !id.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("id = " + id + " is not allowed: 1-100 letters, digits, '.', '_' or '-'");
        }
        if (data == null) {
            throw new IllegalArgumentException("data is required: the data set folder of experiment " + id);
        }
        if (salt == null || salt.isEmpty()) {
            throw new IllegalArgumentException("salt is required and non-empty in experiment " + id);
        }
        Settings.inRange("split", split, 0, 1);
        if (control == null || treatment == null) {
            throw new IllegalArgumentException("experiment " + id + " needs both arms: control and treatment");
        }
    }
}
