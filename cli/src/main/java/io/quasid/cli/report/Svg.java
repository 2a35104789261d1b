package io.quasid.cli.report;

import java.util.List;
import java.util.Locale;

/** Small self-contained SVG charts (no script, no network): grouped bars with optional intervals, and lines. */
final class Svg {
    private Svg() {}

    static final String[] COLOURS = {"#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#76b7b2", "#b07aa1"};
    private static final int W = 560;
    private static final int H = 260;
    private static final int LEFT = 56;
    private static final int RIGHT = 12;
    private static final int TOP = 28;
    private static final int BOTTOM = 48;

    /**
     * One series of a chart: a name, a value per category or x (NaN: missing), optional low/high
     * intervals, and its colour index (the same tokenizer keeps its colour in every chart).
     */
    record Series(String name, double[] values, double[] low, double[] high, int colour) {
        Series(String name, double[] values, int colour) {
            this(name, values, null, null, colour);
        }

        String fill() {
            return COLOURS[Math.floorMod(colour, COLOURS.length)];
        }
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String label(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        return a >= 1000 ? String.format(Locale.ROOT, "%.0f", v) : a >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : a >= 0.1 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static double[] range(List<Series> series, boolean fromZero) {
        double lo = fromZero ? 0 : Double.POSITIVE_INFINITY;
        double hi = fromZero ? 0 : Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.values().length; i++) {
                for (double v : new double[] {s.values()[i], s.low() == null ? Double.NaN : s.low()[i], s.high() == null ? Double.NaN : s.high()[i]}) {
                    if (Double.isFinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        return new double[] {lo, hi + (hi - lo) * 0.05};
    }

    private static StringBuilder frame(String title, String klass, double lo, double hi) {
        StringBuilder b = new StringBuilder();
        b.append("<svg class=\"chart ").append(klass).append("\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" width=\"").append(W).append("\" height=\"").append(H).append("\" role=\"img\" aria-label=\"").append(escape(title)).append("\">");
        b.append("<text x=\"").append(W / 2).append("\" y=\"16\" text-anchor=\"middle\" class=\"title\">").append(escape(title)).append("</text>");
        for (int t = 0; t <= 4; t++) {
            double v = lo + (hi - lo) * t / 4;
            double y = y(v, lo, hi);
            b.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(W - RIGHT).append("\" y1=\"").append(num(y)).append("\" y2=\"").append(num(y))
                    .append("\" class=\"grid\"/><text x=\"").append(LEFT - 4).append("\" y=\"").append(num(y + 4)).append("\" text-anchor=\"end\" class=\"tick\">")
                    .append(label(v)).append("</text>");
        }
        return b;
    }

    private static double y(double v, double lo, double hi) {
        return TOP + (H - TOP - BOTTOM) * (1 - (v - lo) / (hi - lo));
    }

    private static void legend(StringBuilder b, List<Series> series) {
        double x = LEFT;
        for (int s = 0; s < series.size(); s++) {
            b.append("<rect x=\"").append(num(x)).append("\" y=\"").append(H - 14).append("\" width=\"10\" height=\"10\" fill=\"")
                    .append(series.get(s).fill()).append("\"/><text x=\"").append(num(x + 14)).append("\" y=\"").append(H - 5)
                    .append("\" class=\"tick\">").append(escape(series.get(s).name())).append("</text>");
            x += 24 + 7 * series.get(s).name().length();
        }
    }

    /** Grouped bars: one group per category, one bar per series, with the interval as a whisker where given. */
    static String bars(String title, List<String> categories, List<Series> series) {
        double[] r = range(series, true);
        StringBuilder b = frame(title, "bars", r[0], r[1]);
        double group = (double) (W - LEFT - RIGHT) / categories.size();
        double bar = group * 0.8 / series.size();
        for (int c = 0; c < categories.size(); c++) {
            double x0 = LEFT + group * c + group * 0.1;
            for (int s = 0; s < series.size(); s++) {
                double v = series.get(s).values()[c];
                if (!Double.isFinite(v)) {
                    continue;
                }
                double x = x0 + bar * s;
                double top = y(Math.max(v, 0), r[0], r[1]);
                double base = y(0, r[0], r[1]);
                b.append("<rect class=\"bar\" x=\"").append(num(x)).append("\" y=\"").append(num(top)).append("\" width=\"").append(num(bar * 0.9))
                        .append("\" height=\"").append(num(Math.max(0.5, base - top))).append("\" fill=\"").append(series.get(s).fill())
                        .append("\"><title>").append(escape(series.get(s).name() + " " + categories.get(c) + ": " + label(v))).append("</title></rect>");
                Series sr = series.get(s);
                if (sr.low() != null && Double.isFinite(sr.low()[c]) && sr.high()[c] > sr.low()[c]) {
                    double cx = x + bar * 0.45;
                    b.append("<line class=\"whisker\" x1=\"").append(num(cx)).append("\" x2=\"").append(num(cx)).append("\" y1=\"")
                            .append(num(y(sr.low()[c], r[0], r[1]))).append("\" y2=\"").append(num(y(sr.high()[c], r[0], r[1]))).append("\"/>");
                }
            }
            b.append("<text x=\"").append(num(LEFT + group * (c + 0.5))).append("\" y=\"").append(H - BOTTOM + 14)
                    .append("\" text-anchor=\"middle\" class=\"tick\">").append(escape(categories.get(c))).append("</text>");
        }
        legend(b, series);
        return b.append("</svg>").toString();
    }

    /** Lines over x = 1..n (each series its own length), optionally on a log scale of y. */
    static String lines(String title, String xLabel, List<Series> series, boolean logY) {
        List<Series> shown = logY ? series.stream().map(s -> new Series(s.name(), java.util.Arrays.stream(s.values())
                .map(v -> v > 0 ? Math.log10(v) : Double.NaN).toArray(), s.colour())).toList() : series;
        double[] r = range(shown, false);
        StringBuilder b = frame(title + (logY ? " (log10)" : ""), "lines", r[0], r[1]);
        int n = shown.stream().mapToInt(s -> s.values().length).max().orElse(1);
        for (int s = 0; s < shown.size(); s++) {
            StringBuilder points = new StringBuilder();
            double[] v = shown.get(s).values();
            for (int i = 0; i < v.length; i++) {
                if (Double.isFinite(v[i])) {
                    double x = LEFT + (W - LEFT - RIGHT) * (n == 1 ? 0.5 : (double) i / (n - 1));
                    points.append(num(x)).append(',').append(num(y(v[i], r[0], r[1]))).append(' ');
                }
            }
            b.append("<polyline class=\"line\" fill=\"none\" stroke-width=\"2\" stroke=\"").append(shown.get(s).fill())
                    .append("\" points=\"").append(points.toString().trim()).append("\"><title>").append(escape(shown.get(s).name())).append("</title></polyline>");
        }
        b.append("<text x=\"").append(W - RIGHT).append("\" y=\"").append(H - BOTTOM + 14).append("\" text-anchor=\"end\" class=\"tick\">")
                .append(escape(xLabel + " 1.." + n)).append("</text>");
        legend(b, shown);
        return b.append("</svg>").toString();
    }

    /** A forest plot: one row per estimate with its interval, and the zero line. */
    static String forest(String title, List<String> names, double[] value, double[] low, double[] high) {
        double lo = 0;
        double hi = 0;
        for (int i = 0; i < names.size(); i++) {
            for (double v : new double[] {value[i], low[i], high[i]}) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        double pad = Math.max(1e-9, (hi - lo) * 0.1);
        lo -= pad;
        hi += pad;
        int left = 170;
        int h = TOP + 30 * names.size() + 30;
        StringBuilder b = new StringBuilder("<svg class=\"chart forest\" viewBox=\"0 0 " + W + " " + h + "\" width=\"" + W + "\" height=\"" + h
                + "\" role=\"img\" aria-label=\"" + escape(title) + "\">");
        b.append("<text x=\"").append(W / 2).append("\" y=\"16\" text-anchor=\"middle\" class=\"title\">").append(escape(title)).append("</text>");
        double from = lo;
        double span = hi - lo;
        java.util.function.DoubleUnaryOperator x = v -> left + (W - left - RIGHT) * (v - from) / span;
        b.append("<line class=\"zero\" x1=\"").append(num(x.applyAsDouble(0))).append("\" x2=\"").append(num(x.applyAsDouble(0)))
                .append("\" y1=\"").append(TOP).append("\" y2=\"").append(h - 24).append("\"/>");
        for (int i = 0; i < names.size(); i++) {
            double yy = TOP + 30 * i + 15;
            b.append("<text x=\"").append(left - 8).append("\" y=\"").append(num(yy + 4)).append("\" text-anchor=\"end\" class=\"tick\">")
                    .append(escape(names.get(i))).append("</text>");
            if (Double.isFinite(low[i]) && Double.isFinite(high[i])) {
                b.append("<line class=\"whisker\" x1=\"").append(num(x.applyAsDouble(low[i]))).append("\" x2=\"").append(num(x.applyAsDouble(high[i])))
                        .append("\" y1=\"").append(num(yy)).append("\" y2=\"").append(num(yy)).append("\"/>");
            }
            if (Double.isFinite(value[i])) {
                b.append("<circle class=\"estimate\" cx=\"").append(num(x.applyAsDouble(value[i]))).append("\" cy=\"").append(num(yy))
                        .append("\" r=\"5\" fill=\"").append(COLOURS[0]).append("\"><title>").append(escape(names.get(i) + ": " + label(value[i])
                        + " [" + label(low[i]) + ", " + label(high[i]) + "]")).append("</title></circle>");
            }
        }
        for (double v : new double[] {lo + pad, 0, hi - pad}) {
            b.append("<text x=\"").append(num(x.applyAsDouble(v))).append("\" y=\"").append(h - 8).append("\" text-anchor=\"middle\" class=\"tick\">")
                    .append(label(v * 100)).append("%</text>");
        }
        return b.append("</svg>").toString();
    }
}
