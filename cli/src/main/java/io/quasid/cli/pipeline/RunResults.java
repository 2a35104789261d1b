package io.quasid.cli.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.quasid.core.sid.SidStats;
import java.util.List;
import java.util.Map;

/**
 * {@code results.json} of {@code quasid run}, the records its stages hand on and {@code report.html} draws.
 * The file is this record as JSON; its schema is {@code results.schema.json} beside this class (version
 * {@link #SCHEMA_VERSION}, raised whenever a key is removed, renamed or changes meaning).
 *
 * @param tokenizers per tokenizer name ({@code rqvae}, {@code quasid}, {@code adasid}, {@code rqkmeans}) its SIDs and evaluations
 * @param mahout the Taste host by label: {@code plain Taste}, {@code Taste + T SIDs}
 * @param stages each stage's name and seconds, in order
 */
@JsonPropertyOrder({"schema_version", "data", "data_name", "users", "items", "quick", "seeds", "tokenizers", "mahout", "ab", "finished_at",
        "seconds", "stages"})
public record RunResults(int schemaVersion, String data, String dataName, int users, int items, boolean quick, int seeds,
                         Map<String, TokenizerResults> tokenizers, Map<String, Evaluation> mahout, AbResults ab, String finishedAt, double seconds,
                         List<Stage> stages) {
    /** The version of {@code results.schema.json} this build writes. */
    public static final int SCHEMA_VERSION = 1;
    /** The schema's resource name, beside this class. */
    public static final String SCHEMA = "results.schema.json";

    /**
     * One tokenizer's part: how it was made ({@code cached}: reused from an earlier run with the same data,
     * embeddings and settings), its SID metrics, training history and model metadata as the tokenizer wrote
     * them, the items per code per level (most used first), and the ranking model's and (when trained) the
     * generative retriever's evaluation on its SIDs.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"tokenizer", "plugins", "seed", "settings", "cached", "sid_metrics", "training", "model", "code_usage", "ranking", "retrieval"})
    public record TokenizerResults(String tokenizer, List<String> plugins, long seed, Map<String, String> settings, boolean cached,
                                   SidStats sidMetrics, JsonNode training, JsonNode model, List<int[]> codeUsage, Evaluation ranking,
                                   Evaluation retrieval) {
        public TokenizerResults withRanking(Evaluation e) {
            return new TokenizerResults(tokenizer, plugins, seed, settings, cached, sidMetrics, training, model, codeUsage, e, retrieval);
        }

        public TokenizerResults withRetrieval(Evaluation e) {
            return new TokenizerResults(tokenizer, plugins, seed, settings, cached, sidMetrics, training, model, codeUsage, ranking, e);
        }
    }

    /**
     * The A/B test: the SID tables of its arms, the history rule both serve, what the replay sent, and the
     * service's report ({@code GET /v1/experiments/{id}/report}) as it answered.
     */
    @JsonPropertyOrder({"control", "treatment", "history", "replay", "report"})
    public record AbResults(String control, String treatment, String history, Map<String, Object> replay, JsonNode report) {}

    /** A stage of the run: its name, wall time and a note (e.g. why it was cached). */
    @JsonPropertyOrder({"name", "seconds", "note"})
    public record Stage(String name, double seconds, String note) {}
}
