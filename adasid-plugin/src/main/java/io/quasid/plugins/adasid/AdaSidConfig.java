package io.quasid.plugins.adasid;

import io.quasid.spi.Setting;
import io.quasid.spi.Settings;
import io.quasid.spi.TrainingProgress;
import java.util.Arrays;
import java.util.List;

/**
 * AdaSID settings with the defaults of METHOD.md §4. {@code relaxation}, {@code loadWeighting} and
 * {@code schedule} switch the three stages on and off for the ablation. Change a few settings with
 * {@code AdaSidConfig.DEFAULTS.toBuilder().fMax(3).build()}.
 */
public record AdaSidConfig(
        @Setting("SeAR quantiles by overlap depth 1..L (non-decreasing): eta[o] is the q[o] quantile of the similarities of threshold_pairs random distinct catalogue items, taken before training; for another number of levels than values they are interpolated linearly over depth") double[] q,
        @Setting("fixed SeAR thresholds by depth instead of quantiles (non-decreasing, interpolated like q); empty (the default) takes them from q") double[] eta,
        @Setting("what SeAR's cosine compares: centred (the items' content embeddings less the catalogue mean, the default) or content (the content embeddings as they are)") String similarity,
        @Setting("how many random item pairs the quantile thresholds are taken from") int thresholdPairs,
        @Setting("what a pair's LAS load counts: region (candidate pairs sharing the same (level, code) positions, the default) or pattern (candidate pairs with the same pattern of equal levels)") String load,
        @Setting("LAS weight at no load") double fMin,
        @Setting("LAS weight at load d_max and above") double fMax,
        @Setting("LAS exponent") double alpha,
        @Setting("d_max is this quantile of the kept pairs' loads, per batch") double loadQuantile,
        @Setting("margin of a full overlap (o = L), cosine distance") double mFull,
        @Setting("margin of a partial overlap (0 < o < L)") double mPartial,
        @Setting("PAR start, as a share of the total steps") double tStart,
        @Setting("PAR end, as a share of the total steps") double tEnd,
        @Setting("collision weight at the end of the schedule") double lambdaColMin,
        @Setting("contrastive weight at the end of the schedule") double lambdaCfMax,
        @Setting("temperature of the contrastive loss") double tau,
        @Setting("SeAR on: semantically compatible overlaps are not repelled") boolean relaxation,
        @Setting("LAS on: a pair's penalty is weighted by its load (else weight 1)") boolean loadWeighting,
        @Setting("PAR on: weights move from collision to contrastive (else 1 and lambda_cf_max throughout)") boolean schedule) {
    public static final String CENTRED = "centred";
    public static final String CONTENT = "content";
    public static final String REGION = "region";
    public static final String PATTERN = "pattern";
    private static final List<String> SIMILARITIES = List.of(CENTRED, CONTENT);
    private static final List<String> LOADS = List.of(REGION, PATTERN);
    public static final AdaSidConfig DEFAULTS = new AdaSidConfig(new double[] {0.90, 0.97, 0.995}, new double[0], CENTRED, 100_000,
            REGION, 1, 2, 1, 0.9, 0.8, 0.5, 0, 0.6, 0.2, 0.1, 0.07, true, true, true);

    public AdaSidConfig {
        if (q == null || q.length == 0) {
            throw new IllegalArgumentException("q is required: one quantile per overlap depth, e.g. [0.90, 0.97, 0.995]");
        }
        q = nonDecreasing("q", q, 0, 1);
        eta = nonDecreasing("eta", eta == null ? new double[0] : eta, -1, 1);
        Settings.oneOf("similarity", similarity, SIMILARITIES);
        Settings.inRange("threshold_pairs", thresholdPairs, 1, 100_000_000);
        Settings.oneOf("load", load, LOADS);
        Settings.inRange("f_min", fMin, 0, 1000);
        Settings.inRange("f_max", fMax, fMin, 1000);
        if (!(alpha > 0 && alpha <= 100)) {
            throw new IllegalArgumentException("alpha = " + alpha + " is out of range: allowed (0, 100]");
        }
        if (!(loadQuantile > 0 && loadQuantile <= 1)) {
            throw new IllegalArgumentException("load_quantile = " + loadQuantile + " is out of range: allowed (0, 1]");
        }
        Settings.inRange("m_full", mFull, 0, 2);
        Settings.inRange("m_partial", mPartial, 0, 2);
        Settings.inRange("t_start", tStart, 0, 1);
        if (!(tEnd > tStart && tEnd <= 1)) {
            throw new IllegalArgumentException("t_end = " + tEnd + " is out of range: allowed (t_start = " + tStart + ", 1]");
        }
        Settings.inRange("lambda_col_min", lambdaColMin, 0, 1);
        Settings.inRange("lambda_cf_max", lambdaCfMax, 0, 1000);
        if (!(tau > 0 && tau <= 10)) {
            throw new IllegalArgumentException("tau = " + tau + " is out of range: allowed (0, 10]");
        }
    }

    private static double[] nonDecreasing(String field, double[] values, double min, double max) {
        for (int i = 0; i < values.length; i++) {
            Settings.inRange(field + "[" + i + "]", values[i], min, max);
            if (i > 0 && values[i] < values[i - 1]) {
                throw new IllegalArgumentException(field + " = " + Arrays.toString(values) + " must not decrease with depth");
            }
        }
        return values.clone();
    }

    @Override
    public double[] q() {
        return q.clone();
    }

    @Override
    public double[] eta() {
        return eta.clone();
    }

    /** True when SeAR's thresholds are the quantiles {@code q} of the catalogue's pair similarities, false when fixed by {@code eta}. */
    public boolean quantileThresholds() {
        return eta.length == 0;
    }

    /** The value of {@code eta} (if set) or {@code q} at overlap depth {@code o} (1..levels), interpolated linearly over depth. */
    public double byDepth(int o, int levels) {
        double[] values = quantileThresholds() ? q : eta;
        if (values.length == 1 || levels == 1) {
            return values[values.length - 1];
        }
        double position = (double) (o - 1) / (levels - 1) * (values.length - 1);
        int lo = (int) Math.floor(position);
        int hi = Math.min(values.length - 1, lo + 1);
        return values[lo] + (values[hi] - values[lo]) * (position - lo);
    }

    /** PAR progress {@code p = clamp((t - T_start) / (T_end - T_start), 0, 1)}, {@code t} the share of steps done. */
    public double progress(TrainingProgress where) {
        return Math.max(0, Math.min(1, (where.fraction() - tStart) / (tEnd - tStart)));
    }

    /** The collision weight {@code w_col(p) = 1 - (1 - lambda_col_min) p} (1 without the schedule). */
    public double collisionWeight(TrainingProgress where) {
        return schedule ? 1 - (1 - lambdaColMin) * progress(where) : 1;
    }

    /** The contrastive weight {@code w_cf(p) = lambda_cf_max p} ({@code lambda_cf_max} without the schedule). */
    public double contrastiveWeight(TrainingProgress where) {
        return schedule ? lambdaCfMax * progress(where) : lambdaCfMax;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdaSidConfig c && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "AdaSidConfig[q=" + Arrays.toString(q) + ", eta=" + Arrays.toString(eta) + ", similarity=" + similarity
                + ", threshold_pairs=" + thresholdPairs + ", load=" + load + ", f_min=" + fMin + ", f_max=" + fMax + ", alpha=" + alpha
                + ", load_quantile=" + loadQuantile + ", m_full=" + mFull + ", m_partial=" + mPartial + ", t_start=" + tStart
                + ", t_end=" + tEnd + ", lambda_col_min=" + lambdaColMin + ", lambda_cf_max=" + lambdaCfMax + ", tau=" + tau
                + ", relaxation=" + relaxation + ", load_weighting=" + loadWeighting + ", schedule=" + schedule + "]";
    }

    /** Changes some settings of a config; {@link #build()} validates them all. */
    public static final class Builder {
        private double[] q;
        private double[] eta;
        private String similarity;
        private int thresholdPairs;
        private String load;
        private double fMin;
        private double fMax;
        private double alpha;
        private double loadQuantile;
        private double mFull;
        private double mPartial;
        private double tStart;
        private double tEnd;
        private double lambdaColMin;
        private double lambdaCfMax;
        private double tau;
        private boolean relaxation;
        private boolean loadWeighting;
        private boolean schedule;

        private Builder(AdaSidConfig c) {
            q = c.q;
            eta = c.eta;
            similarity = c.similarity;
            thresholdPairs = c.thresholdPairs;
            load = c.load;
            fMin = c.fMin;
            fMax = c.fMax;
            alpha = c.alpha;
            loadQuantile = c.loadQuantile;
            mFull = c.mFull;
            mPartial = c.mPartial;
            tStart = c.tStart;
            tEnd = c.tEnd;
            lambdaColMin = c.lambdaColMin;
            lambdaCfMax = c.lambdaCfMax;
            tau = c.tau;
            relaxation = c.relaxation;
            loadWeighting = c.loadWeighting;
            schedule = c.schedule;
        }

        public Builder q(double... v) { q = v; return this; }
        public Builder eta(double... v) { eta = v; return this; }
        public Builder similarity(String v) { similarity = v; return this; }
        public Builder thresholdPairs(int v) { thresholdPairs = v; return this; }
        public Builder load(String v) { load = v; return this; }
        public Builder fMin(double v) { fMin = v; return this; }
        public Builder fMax(double v) { fMax = v; return this; }
        public Builder alpha(double v) { alpha = v; return this; }
        public Builder loadQuantile(double v) { loadQuantile = v; return this; }
        public Builder mFull(double v) { mFull = v; return this; }
        public Builder mPartial(double v) { mPartial = v; return this; }
        public Builder tStart(double v) { tStart = v; return this; }
        public Builder tEnd(double v) { tEnd = v; return this; }
        public Builder lambdaColMin(double v) { lambdaColMin = v; return this; }
        public Builder lambdaCfMax(double v) { lambdaCfMax = v; return this; }
        public Builder tau(double v) { tau = v; return this; }
        public Builder relaxation(boolean v) { relaxation = v; return this; }
        public Builder loadWeighting(boolean v) { loadWeighting = v; return this; }
        public Builder schedule(boolean v) { schedule = v; return this; }

        public AdaSidConfig build() {
            return new AdaSidConfig(q, eta, similarity, thresholdPairs, load, fMin, fMax, alpha, loadQuantile, mFull, mPartial, tStart,
                    tEnd, lambdaColMin, lambdaCfMax, tau, relaxation, loadWeighting, schedule);
        }
    }
}
