package io.quasid.cli.pipeline;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quasid.core.ranking.Interval;
import java.util.List;
import java.util.Map;

/**
 * What {@code quasid evaluate} prints and {@code results.json} holds per model: the test metrics
 * ({@code recall@K}, {@code ndcg@K}, K = 3, 5, 10) as top-level keys, each the mean and 95% interval over
 * seeds, the same on validation, the cold-start blocks, one entry per seed, and the run's seconds. The
 * Mahout host has no validation, seeds or runs and nests its plain-Taste twin in {@code plain_taste}.
 *
 * @param model {@code sasrec}, {@code tiger} or {@code mahout}
 * @param sids the SID table's file, when it came from one
 * @param history the history rule of every list ({@code keep} or {@code exclude}); null for Mahout
 * @param features the ranking model's item features ({@code sid}, {@code id}, {@code sid+id}); null for the others
 * @param config the model's settings
 * @param test the test metrics by name, written as top-level keys
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"model", "sids", "history", "features", "config", "seeds", "validation", "cold_start", "runs", "plain_taste", "seconds"})
public record Evaluation(String model, String sids, String history, String features, Object config, Integer seeds,
                         @JsonIgnore Map<String, Interval> test, Map<String, Interval> validation, ColdStart coldStart, List<Run> runs,
                         Evaluation plainTaste, Double seconds) {
    public Evaluation {
        test = Map.copyOf(test);
        validation = validation == null ? null : Map.copyOf(validation);
        runs = runs == null ? null : List.copyOf(runs);
    }

    @JsonAnyGetter
    Map<String, Interval> testMetrics() {
        return new java.util.TreeMap<>(test);
    }

    /** The test metric {@code name}, e.g. {@code recall@10}; null when the evaluation has none of that name. */
    public Interval metric(String name) {
        return test.get(name);
    }

    /** The same evaluation, naming the SID table it read. */
    public Evaluation withSids(String file) {
        return new Evaluation(model, file, history, features, config, seeds, test, validation, coldStart, runs, plainTaste, seconds);
    }

    /** The same evaluation without its plain-Taste twin. */
    public Evaluation withoutPlainTaste() {
        return new Evaluation(model, sids, history, features, config, seeds, test, validation, coldStart, runs, null, seconds);
    }

    /** The same evaluation with its run time. */
    public Evaluation withSeconds(double s) {
        return new Evaluation(model, sids, history, features, config, seeds, test, validation, coldStart, runs, plainTaste, s);
    }

    /** The cold-start blocks: users whose test item is in the bottom popularity decile, and (when asked for) items removed from training. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"bottom_decile", "removed_from_training"})
    public record ColdStart(Block bottomDecile, Block removedFromTraining) {}

    /**
     * One cold-start block: the evaluated users and the cold items, the metrics as top-level keys, and for
     * the Mahout host the distinct cold items it put in any list.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"users", "items", "items_recommended"})
    public record Block(long users, long items, Integer itemsRecommended, @JsonIgnore Map<String, Interval> metrics) {
        public Block {
            metrics = Map.copyOf(metrics);
        }

        @JsonAnyGetter
        Map<String, Interval> metricsByName() {
            return new java.util.TreeMap<>(metrics);
        }

        /** The metric {@code name}, e.g. {@code recall@10}; null when the block has none of that name. */
        public Interval metric(String name) {
            return metrics.get(name);
        }
    }

    /** One seed's model: the epoch kept and the epochs run, and the same for its removed-items twin (null without one). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"seed", "best_epoch", "epochs", "seconds", "removed_best_epoch", "removed_seconds"})
    public record Run(int seed, int bestEpoch, int epochs, double seconds, Integer removedBestEpoch, Double removedSeconds) {}
}
