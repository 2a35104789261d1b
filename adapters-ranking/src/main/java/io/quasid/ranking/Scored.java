package io.quasid.ranking;

/** A catalogue item (by index) with the score a model gave it; higher is better. */
public record Scored(int item, double score) {}
