package io.quasid.core.ranking;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;

/** The mean of a few runs (e.g. seeds) with its two-sided 95% Student-t interval; a single run has a zero-width one. */
@JsonPropertyOrder({"mean", "low", "high", "runs"})
public record Interval(double mean, double low, double high, int runs) {
    public static Interval of(List<Double> values) {
        int n = values.size();
        if (n == 0) {
            throw new IllegalArgumentException("an interval needs at least one value");
        }
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        if (n == 1) {
            return new Interval(mean, mean, mean, 1);
        }
        double variance = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (n - 1);
        double half = new TDistribution(n - 1).inverseCumulativeProbability(0.975) * Math.sqrt(variance / n);
        return new Interval(mean, mean - half, mean + half, n);
    }
}
