package io.quasid.core.sid;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** The SID quality metrics of METHOD.md §5 for one table (natural log everywhere). */
@JsonPropertyOrder({"items", "levels", "codes", "collision_rate", "max_group", "entropy_nats", "perplexity",
        "perplexity_mean", "perplexity_min", "utilisation", "top1_load", "top1_load_mean", "hamming_nearest", "entangled"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SidStats(
        @JsonProperty("items") int items,
        @JsonProperty("levels") int levels,
        @JsonProperty("codes") int codes,
        @JsonProperty("collision_rate") double collisionRate,
        @JsonProperty("max_group") int maxGroup,
        @JsonProperty("entropy_nats") double entropyNats,
        @JsonProperty("perplexity") List<Double> perplexity,
        @JsonProperty("perplexity_mean") double perplexityMean,
        @JsonProperty("perplexity_min") double perplexityMin,
        @JsonProperty("utilisation") List<Double> utilisation,
        @JsonProperty("top1_load") List<Double> top1Load,
        @JsonProperty("top1_load_mean") double top1LoadMean,
        @JsonProperty("hamming_nearest") List<Long> hammingNearest,
        @JsonProperty("entangled") Entanglement entangled) {

    public SidStats {
        perplexity = List.copyOf(perplexity);
        utilisation = List.copyOf(utilisation);
        top1Load = List.copyOf(top1Load);
        hammingNearest = List.copyOf(hammingNearest);
    }

    /**
     * Entangled pairs: of the {@code pairs_within_radius} item pairs whose SIDs differ in at most
     * {@code radius} levels, the {@code entangled_pairs} whose content cosine similarity is below
     * {@code threshold}.
     */
    @JsonPropertyOrder({"radius", "threshold", "pairs_within_radius", "entangled_pairs"})
    public record Entanglement(
            @JsonProperty("radius") int radius,
            @JsonProperty("threshold") double threshold,
            @JsonProperty("pairs_within_radius") long pairsWithinRadius,
            @JsonProperty("entangled_pairs") long entangledPairs) {}

    /** A copy with the entanglement block set. */
    public SidStats withEntangled(Entanglement e) {
        return new SidStats(items, levels, codes, collisionRate, maxGroup, entropyNats, perplexity, perplexityMean,
                perplexityMin, utilisation, top1Load, top1LoadMean, hammingNearest, e);
    }
}
