package io.quasid.plugins.adasid;

import io.quasid.spi.Settings;
import io.quasid.spi.TrainingProgress;
import java.util.Arrays;
import java.util.List;

/**
 * AdaSID settings with the defaults of METHOD.md §4. {@code relaxation}, {@code loadWeighting} and
 * {@code schedule} switch the three stages on and off for the ablation.
 *
 * @param eta SeAR thresholds by overlap depth {@code 1..L} (non-decreasing); for another number of
 *     levels than values they are interpolated linearly over depth
 * @param fMin LAS weight at no load
 * @param fMax LAS weight at load {@code d_max} and above
 * @param alpha LAS exponent
 * @param loadQuantile {@code d_max} is this quantile of the candidate pairs' loads, per batch
 * @param mFull margin of a full overlap ({@code o = L}), cosine distance
 * @param mPartial margin of a partial overlap ({@code 0 < o < L})
 * @param tStart PAR start, as a share of the total steps
 * @param tEnd PAR end, as a share of the total steps
 * @param lambdaColMin collision weight at the end of the schedule
 * @param lambdaCfMax contrastive weight at the end of the schedule
 * @param tau temperature of the contrastive loss
 * @param relaxation SeAR on: semantically compatible overlaps are not repelled
 * @param loadWeighting LAS on: a pair's penalty is weighted by its signature's load (else weight 1)
 * @param schedule PAR on: weights move from collision to contrastive (else 1 and {@code lambda_cf_max} throughout)
 * @param similarity what SeAR's cosine compares: {@code content} (the items' content embeddings, the
 *     default), {@code centred} (the same less their batch mean) or {@code encoder} (the encoder outputs
 *     {@code e}, METHOD.md §4's notation, under which the default margins never penalise a kept partial overlap)
 */
public record AdaSidConfig(double[] eta, double fMin, double fMax, double alpha, double loadQuantile, double mFull, double mPartial,
                           double tStart, double tEnd, double lambdaColMin, double lambdaCfMax, double tau,
                           boolean relaxation, boolean loadWeighting, boolean schedule, String similarity) {
    public static final String CONTENT = "content";
    public static final String CENTRED = "centred";
    public static final String ENCODER = "encoder";
    private static final List<String> SIMILARITIES = List.of(CONTENT, CENTRED, ENCODER);
    public static final AdaSidConfig DEFAULTS = new AdaSidConfig(new double[] {0.2, 0.3, 0.4}, 1, 2, 1, 0.9, 0.8, 0.5, 0, 0.6, 0.2, 0.1,
            0.07, true, true, true, CONTENT);

    public AdaSidConfig {
        if (eta == null || eta.length == 0) {
            throw new IllegalArgumentException("eta is required: one threshold per overlap depth, e.g. [0.2, 0.3, 0.4]");
        }
        eta = eta.clone();
        for (int i = 0; i < eta.length; i++) {
            Settings.inRange("eta[" + i + "]", eta[i], -1, 1);
            if (i > 0 && eta[i] < eta[i - 1]) {
                throw new IllegalArgumentException("eta = " + Arrays.toString(eta) + " must not decrease with depth");
            }
        }
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
        if (!SIMILARITIES.contains(similarity)) {
            throw new IllegalArgumentException("similarity = " + similarity + " is not one of " + SIMILARITIES);
        }
    }

    @Override
    public double[] eta() {
        return eta.clone();
    }

    /** The SeAR threshold of overlap depth {@code o} (1..levels), interpolating {@code eta} over depth. */
    public double eta(int o, int levels) {
        if (eta.length == 1 || levels == 1) {
            return eta[eta.length - 1];
        }
        double position = (double) (o - 1) / (levels - 1) * (eta.length - 1);
        int lo = (int) Math.floor(position);
        int hi = Math.min(eta.length - 1, lo + 1);
        return eta[lo] + (eta[hi] - eta[lo]) * (position - lo);
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

    /** The same settings with the three stages switched as given. */
    public AdaSidConfig with(boolean relaxation, boolean loadWeighting, boolean schedule) {
        return new AdaSidConfig(eta, fMin, fMax, alpha, loadQuantile, mFull, mPartial, tStart, tEnd, lambdaColMin, lambdaCfMax, tau,
                relaxation, loadWeighting, schedule, similarity);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdaSidConfig c && Arrays.equals(eta, c.eta) && fMin == c.fMin && fMax == c.fMax && alpha == c.alpha
                && loadQuantile == c.loadQuantile && mFull == c.mFull && mPartial == c.mPartial && tStart == c.tStart && tEnd == c.tEnd
                && lambdaColMin == c.lambdaColMin && lambdaCfMax == c.lambdaCfMax && tau == c.tau && relaxation == c.relaxation
                && loadWeighting == c.loadWeighting && schedule == c.schedule && similarity.equals(c.similarity);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(eta) * 31 + Double.hashCode(fMin + fMax + alpha + loadQuantile + mFull + mPartial + tStart + tEnd + tau);
    }

    @Override
    public String toString() {
        return "AdaSidConfig[eta=" + Arrays.toString(eta) + ", f_min=" + fMin + ", f_max=" + fMax + ", alpha=" + alpha + ", load_quantile="
                + loadQuantile + ", m_full=" + mFull + ", m_partial=" + mPartial + ", t_start=" + tStart + ", t_end=" + tEnd
                + ", lambda_col_min=" + lambdaColMin + ", lambda_cf_max=" + lambdaCfMax + ", tau=" + tau + ", relaxation=" + relaxation
                + ", load_weighting=" + loadWeighting + ", schedule=" + schedule + ", similarity=" + similarity + "]";
    }
}
