package io.quasid.ab;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Treatment against control for one metric: both values, their difference with its two-sided 95%
 * interval and p-value, and the relative lift {@code difference / control} with the interval scaled the
 * same way (the control value taken as known). {@code NaN} where a test is undefined (an empty arm, no
 * variance).
 */
@JsonPropertyOrder({"control", "treatment", "difference", "difference_low", "difference_high", "lift", "lift_low", "lift_high", "p_value", "test"})
public record Lift(double control, double treatment, double difference, double differenceLow, double differenceHigh, double lift,
                   double liftLow, double liftHigh, double pValue, String test) {
    private static final NormalDistribution NORMAL = new NormalDistribution();

    private static Lift of(double control, double treatment, double se, double critical, double p, String test) {
        double d = treatment - control;
        double low = d - critical * se;
        double high = d + critical * se;
        return new Lift(control, treatment, d, low, high, d / control, low / control, high / control, p, test);
    }

    /** Welch's two-sample t-test on per-user values (e.g. GMV per user, zeros included). */
    public static Lift welch(double[] control, double[] treatment) {
        double mc = mean(control);
        double mt = mean(treatment);
        double vc = variance(control, mc) / control.length;
        double vt = variance(treatment, mt) / treatment.length;
        double se = Math.sqrt(vc + vt);
        double df = (vc + vt) * (vc + vt) / (vc * vc / (control.length - 1) + vt * vt / (treatment.length - 1));
        if (!(se > 0) || !(df > 0)) {
            return of(mc, mt, Double.NaN, Double.NaN, Double.NaN, "welch");
        }
        TDistribution t = new TDistribution(df);
        double p = 2 * t.cumulativeProbability(-Math.abs((mt - mc) / se));
        return of(mc, mt, se, t.inverseCumulativeProbability(0.975), p, "welch");
    }

    /**
     * Two-proportion z-test of {@code xc / nc} against {@code xt / nt}: the p-value from the pooled
     * standard error, the interval from the unpooled one.
     */
    public static Lift proportions(long xc, long nc, long xt, long nt) {
        double pc = nc == 0 ? Double.NaN : (double) xc / nc;
        double pt = nt == 0 ? Double.NaN : (double) xt / nt;
        double pooled = (double) (xc + xt) / (nc + nt);
        double sePooled = Math.sqrt(pooled * (1 - pooled) * (1.0 / nc + 1.0 / nt));
        double se = Math.sqrt(pc * (1 - pc) / nc + pt * (1 - pt) / nt);
        if (!(sePooled > 0)) {
            return of(pc, pt, Double.NaN, Double.NaN, Double.NaN, "two_proportion_z");
        }
        double p = 2 * NORMAL.cumulativeProbability(-Math.abs((pt - pc) / sePooled));
        return of(pc, pt, se, NORMAL.inverseCumulativeProbability(0.975), p, "two_proportion_z");
    }

    static double mean(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return values.length == 0 ? Double.NaN : s / values.length;
    }

    private static double variance(double[] values, double mean) {
        double s = 0;
        for (double v : values) {
            s += (v - mean) * (v - mean);
        }
        return values.length < 2 ? Double.NaN : s / (values.length - 1);
    }
}
