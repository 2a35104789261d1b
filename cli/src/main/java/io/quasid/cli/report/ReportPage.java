package io.quasid.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.quasid.cli.pipeline.Evaluation;
import io.quasid.cli.pipeline.RunResults;
import io.quasid.core.ranking.Interval;
import io.quasid.core.sid.SidStats;
import io.quasid.ranking.tiger.TigerConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code report.html} of {@code quasid run}: one self-contained page (inline CSS and SVG, no script, no
 * network) drawn from the run's {@link RunResults}: SID quality, per-level code usage, Hamming-nearest profile,
 * training curves, ranking metrics with intervals, cold-start results, the Mahout host and the A/B test.
 */
public final class ReportPage {
    private static final String[] K = {"3", "5", "10"};

    private ReportPage() {}

    public static String html(RunResults results) {
        Map<String, RunResults.TokenizerResults> tokenizers = results.tokenizers();
        List<String> names = new ArrayList<>(tokenizers.keySet());
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>QuaSID run: ").append(Svg.escape(results.data()))
                .append("</title><style>").append(CSS).append("</style></head><body>");
        b.append("<h1>Collision-aware Semantic IDs: ").append(Svg.escape(results.dataName())).append("</h1>");
        b.append("<p class=\"meta\">").append(Svg.escape(results.data())).append(" &middot; ")
                .append(results.users()).append(" users, ").append(results.items()).append(" items &middot; ")
                .append(results.quick() ? "quick run (subset, small budgets) &middot; " : "")
                .append(results.seeds()).append(" seed(s) &middot; ").append(Svg.label(results.seconds()))
                .append(" s &middot; ").append(Svg.escape(results.finishedAt())).append("</p>");

        b.append("<section id=\"summary\"><h2>Summary</h2><table><tr><th>tokenizer</th><th>collision rate</th><th>entropy (nats)</th>"
                + "<th>min perplexity</th><th>top-1 load</th><th>Recall@10</th><th>NDCG@10</th><th>cold (removed) Recall@10</th><th>rows per training step</th></tr>");
        for (String t : names) {
            SidStats s = tokenizers.get(t).sidMetrics();
            Evaluation r = tokenizers.get(t).ranking();
            b.append("<tr><td>").append(Svg.escape(t)).append("</td><td>").append(pct(s.collisionRate())).append("</td><td>")
                    .append(fmt(s.entropyNats())).append("</td><td>").append(fmt(s.perplexityMin()))
                    .append("</td><td>").append(pct(s.top1LoadMean())).append("</td><td>").append(interval(metric(r, "recall@10")))
                    .append("</td><td>").append(interval(metric(r, "ndcg@10"))).append("</td><td>")
                    .append(interval(r == null ? null : cold(r.coldStart().removedFromTraining(), "recall@10"))).append("</td><td>")
                    .append(stepLayout(tokenizers.get(t).model())).append("</td></tr>");
        }
        b.append("</table><p>A pair step (QuaSID, AdaSID; METHOD.md §2) holds B Swing pairs followed by catalogue rows, so every item is"
                + " reconstructed in every epoch; with pairs only (the papers' layout) items in no Swing pair are never trained on.</p>");
        b.append(adaSidGate(tokenizers, names)).append("</section>");

        b.append("<section id=\"codes\"><h2>Per-level code usage</h2><p>Items per code, codes sorted by use; a flat line is an evenly used codebook.</p>");
        int levels = names.isEmpty() ? 0 : tokenizers.get(names.get(0)).codeUsage().size();
        for (int l = 0; l < levels; l++) {
            List<Svg.Series> series = new ArrayList<>();
            for (String t : names) {
                series.add(new Svg.Series(t, Arrays.stream(tokenizers.get(t).codeUsage().get(l)).asDoubleStream().toArray(), names.indexOf(t)));
            }
            b.append(Svg.lines("Level " + (l + 1) + ": items per code", "code rank", series, true));
        }
        b.append("</section>");

        b.append("<section id=\"hamming\"><h2>Hamming-nearest profile</h2><p>Items whose nearest other SID is at Hamming distance H (H = 0: a full collision).</p>");
        List<String> hs = new ArrayList<>();
        List<Svg.Series> hamming = new ArrayList<>();
        for (String t : names) {
            double[] h = tokenizers.get(t).sidMetrics().hammingNearest().stream().mapToDouble(Long::doubleValue).toArray();
            hamming.add(new Svg.Series(t, h, names.indexOf(t)));
            while (hs.size() < h.length) {
                hs.add("H=" + hs.size());
            }
        }
        b.append(Svg.bars("Items by distance to their nearest SID", hs, hamming)).append("</section>");

        b.append("<section id=\"training\"><h2>Training curves</h2>");
        for (String[] curve : new String[][] {{"loss", "Training loss per epoch"}, {"collision_rate", "Collision rate of the batches per epoch"},
                {"quasid.hamr/full_pairs", "Full-collision pairs per batch (QuaSID HaMR)"}}) {
            List<Svg.Series> series = new ArrayList<>();
            for (String t : names) {
                JsonNode history = tokenizers.get(t).training().path("history");
                if (history.isArray() && !history.isEmpty() && history.get(0).has(curve[0])) {
                    double[] v = new double[history.size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = history.get(i).path(curve[0]).asDouble(Double.NaN);
                    }
                    series.add(new Svg.Series(t, v, names.indexOf(t)));
                }
            }
            if (!series.isEmpty()) {
                b.append(Svg.lines(curve[1], "epoch", series, false));
            }
        }
        b.append("</section>");

        b.append("<section id=\"ranking\"><h2>Ranking (SASRec on SID features, full catalogue, test)</h2>");
        String rule = names.isEmpty() || tokenizers.get(names.get(0)).ranking() == null ? "" : tokenizers.get(names.get(0)).ranking().history();
        if (!rule.isEmpty()) {
            b.append("<p>").append(historySentence(rule)).append("</p>");
        }
        for (String metric : new String[] {"recall", "ndcg"}) {
            List<String> cats = new ArrayList<>();
            for (String k : K) {
                cats.add(metric + "@" + k);
            }
            List<Svg.Series> series = new ArrayList<>();
            for (String t : names) {
                series.add(intervals(t, tokenizers.get(t).ranking(), cats, names.indexOf(t)));
            }
            b.append(Svg.bars((metric.equals("recall") ? "Recall" : "NDCG") + "@K, mean and 95% interval over seeds", cats, series));
        }
        b.append("</section>");

        b.append(retrieval(tokenizers, names));

        b.append("<section id=\"cold\"><h2>Cold-start items</h2>");
        List<String> coldCats = List.of("bottom decile", "removed from training");
        List<Svg.Series> cold = new ArrayList<>();
        for (String t : names) {
            Evaluation r = tokenizers.get(t).ranking();
            cold.add(new Svg.Series(t, new double[] {mean(r == null ? null : cold(r.coldStart().bottomDecile(), "recall@10")),
                    mean(r == null ? null : cold(r.coldStart().removedFromTraining(), "recall@10"))}, names.indexOf(t)));
        }
        b.append(Svg.bars("Recall@10 on users whose test item is cold", coldCats, cold));
        if (!results.mahout().isEmpty()) {
            b.append("<h3>Apache Mahout host (Taste item-based, log-likelihood)</h3><table><tr><th>host</th><th>Recall@10</th><th>NDCG@10</th>"
                    + "<th>bottom-decile Recall@10</th><th>removed items recommended</th><th>removed Recall@10</th></tr>");
            for (Map.Entry<String, Evaluation> e : results.mahout().entrySet()) {
                Evaluation m = e.getValue();
                Evaluation.Block removed = m.coldStart().removedFromTraining();
                b.append("<tr><td>").append(Svg.escape(e.getKey())).append("</td><td>").append(fmt(mean(m.metric("recall@10"))))
                        .append("</td><td>").append(fmt(mean(m.metric("ndcg@10")))).append("</td><td>")
                        .append(fmt(mean(cold(m.coldStart().bottomDecile(), "recall@10")))).append("</td><td>")
                        .append(removed == null || removed.itemsRecommended() == null ? "-" : removed.itemsRecommended()).append("</td><td>")
                        .append(fmt(mean(cold(removed, "recall@10")))).append("</td></tr>");
            }
            b.append("</table>");
        }
        b.append("</section>");

        RunResults.AbResults abResults = results.ab();
        JsonNode ab = abResults == null ? null : abResults.report();
        if (ab != null) {
            b.append("<section id=\"ab\"><h2>A/B test (replayed held-out users)</h2><p>Control: ")
                    .append(Svg.escape(abResults.control())).append(" SIDs; treatment: ")
                    .append(Svg.escape(abResults.treatment())).append(" SIDs. ")
                    .append(historySentence(abResults.history())).append("</p><table><tr><th>arm</th><th>users</th><th>requests</th>"
                            + "<th>orders</th><th>order rate</th><th>GMV</th><th>GMV per user</th><th>cold orders</th><th>cold GMV per user</th></tr>");
            for (String arm : new String[] {"control", "treatment"}) {
                JsonNode a = ab.path("arms").path(arm);
                b.append("<tr><td>").append(arm).append("</td><td>").append(a.path("users").asLong()).append("</td><td>").append(a.path("requests").asLong())
                        .append("</td><td>").append(a.path("orders").asLong()).append("</td><td>").append(pct(a.path("order_rate").asDouble()))
                        .append("</td><td>").append(fmt(a.path("gmv").asDouble(Double.NaN))).append("</td><td>")
                        .append(fmt(a.path("gmv_per_user").asDouble(Double.NaN))).append("</td><td>").append(a.path("cold_start").path("orders").asLong())
                        .append("</td><td>").append(fmt(a.path("cold_start").path("gmv_per_user").asDouble(Double.NaN))).append("</td></tr>");
            }
            b.append("</table>");
            if (ab.has("gmv_unknown_because")) {
                b.append("<p>GMV unknown: ").append(Svg.escape(ab.path("gmv_unknown_because").asText())).append(".</p>");
            }
            List<String> lifts = new ArrayList<>();
            ab.path("lifts").fieldNames().forEachRemaining(lifts::add);
            double[] v = new double[lifts.size()];
            double[] lo = new double[lifts.size()];
            double[] hi = new double[lifts.size()];
            b.append("<table><tr><th>lift (treatment vs control)</th><th>lift</th><th>95% interval</th><th>p-value</th></tr>");
            for (int i = 0; i < lifts.size(); i++) {
                JsonNode l = ab.path("lifts").path(lifts.get(i));
                v[i] = l.path("lift").asDouble(Double.NaN);
                lo[i] = l.path("lift_low").asDouble(Double.NaN);
                hi[i] = l.path("lift_high").asDouble(Double.NaN);
                b.append("<tr><td>").append(Svg.escape(lifts.get(i))).append("</td><td>").append(pct(v[i])).append("</td><td>[").append(pct(lo[i]))
                        .append(", ").append(pct(hi[i])).append("]</td><td>").append(fmt(l.path("p_value").asDouble(Double.NaN))).append("</td></tr>");
            }
            b.append("</table>").append(Svg.forest("Lifts with 95% intervals", lifts, v, lo, hi)).append("</section>");
        }

        b.append("<section id=\"stages\"><h2>Stages</h2><table><tr><th>stage</th><th>seconds</th><th>note</th></tr>");
        for (RunResults.Stage s : results.stages()) {
            b.append("<tr><td>").append(Svg.escape(s.name())).append("</td><td>").append(Svg.label(s.seconds()))
                    .append("</td><td>").append(Svg.escape(s.note())).append("</td></tr>");
        }
        b.append("</table></section></body></html>\n");
        return b.toString();
    }

    /**
     * The generative retriever (METHOD.md §7) beside the ranking model, per tokenizer that has both; empty
     * when the run trained no retriever.
     */
    private static String retrieval(Map<String, RunResults.TokenizerResults> tokenizers, List<String> names) {
        StringBuilder rows = new StringBuilder();
        TigerConfig config = null;
        for (String t : names) {
            Evaluation g = tokenizers.get(t).retrieval();
            if (g == null) {
                continue;
            }
            if (config == null && g.config() instanceof TigerConfig c) {
                config = c;
            }
            Evaluation r = tokenizers.get(t).ranking();
            Evaluation.Run run = g.runs() == null || g.runs().isEmpty() ? null : g.runs().get(0);
            rows.append("<tr><td>").append(Svg.escape(t)).append("</td><td>").append(interval(metric(r, "recall@10"))).append("</td><td>")
                    .append(interval(metric(r, "ndcg@10"))).append("</td><td>").append(interval(g.metric("recall@10"))).append("</td><td>")
                    .append(interval(g.metric("ndcg@10"))).append("</td><td>").append(interval(g.metric("recall@5"))).append("</td><td>")
                    .append(interval(g.metric("ndcg@5"))).append("</td><td>")
                    .append(interval(cold(g.coldStart().bottomDecile(), "recall@10"))).append("</td><td>")
                    .append(run == null ? "-" : run.bestEpoch() + " of " + run.epochs()).append("</td><td>")
                    .append(g.seconds() == null ? "-" : Svg.label(g.seconds())).append("</td></tr>");
        }
        if (rows.isEmpty()) {
            return "";
        }
        String size = config == null ? "" : "beam " + config.beam() + ") constrained to the catalogue; " + config.encoderLayers() + "+" + config.decoderLayers()
                + " layers, d_model " + config.dModel() + ", " + config.heads() + " heads of " + config.headDim() + ", d_ff " + config.dFf() + ".";
        return "<section id=\"retrieval\"><h2>Generative retrieval (TIGER on the SIDs, full catalogue, test)</h2><p>The SID is the item's name: an"
                + " encoder-decoder spells the next item's codes and de-duplication code, beam search (" + size + " Collisions and crowded codes hurt it"
                + " directly, where the ranking model's per-prefix tables can absorb them.</p><table><tr><th>tokenizer</th>"
                + "<th>ranking model Recall@10</th><th>ranking model NDCG@10</th><th>TIGER Recall@10</th><th>TIGER NDCG@10</th><th>TIGER Recall@5</th>"
                + "<th>TIGER NDCG@5</th><th>TIGER bottom-decile Recall@10</th><th>best epoch</th><th>seconds</th></tr>" + rows + "</table></section>";
    }

    /** "128 pairs + 768 catalogue rows", "1024 items", or "-" when the tokenizer trains no batches (RQ-KMeans). */
    private static String stepLayout(JsonNode model) {
        JsonNode config = model.path("config");
        if (!config.has("batch_rows")) {
            return "-";
        }
        int rows = config.path("batch_rows").asInt();
        if (!model.path("pair_batches").asBoolean()) {
            return rows + " items";
        }
        int items = config.path("item_rows").asInt();
        return (rows - items) / 2 + " pairs" + (items > 0 ? " + " + items + " catalogue rows" : " (pairs only)");
    }

    /** SeAR's thresholds and relaxed share per depth and LAS's weights, averaged over AdaSID's last epoch, per tokenizer that reports them. */
    private static String adaSidGate(Map<String, RunResults.TokenizerResults> tokenizers, List<String> names) {
        String p = "adasid.collision/";
        StringBuilder b = new StringBuilder();
        for (String t : names) {
            JsonNode history = tokenizers.get(t).training().path("history");
            JsonNode last = history.isArray() && !history.isEmpty() ? history.get(history.size() - 1) : null;
            if (last == null || !last.has(p + "eta/1")) {
                continue;
            }
            b.append("<h3>").append(Svg.escape(t)).append(": SeAR gate and LAS weights (last epoch)</h3><table><tr><th>overlap depth</th>"
                    + "<th>threshold eta (cosine less the catalogue mean)</th><th>relaxed share of candidates</th></tr>");
            for (int o = 1; last.has(p + "eta/" + o); o++) {
                b.append("<tr><td>").append(o).append("</td><td>").append(fmt(last.path(p + "eta/" + o).asDouble())).append("</td><td>")
                        .append(pct(last.path(p + "relaxed_share/" + o).asDouble(Double.NaN))).append("</td></tr>");
            }
            b.append("</table><p>Relaxed share over all candidates ").append(pct(last.path(p + "relaxed_share").asDouble(Double.NaN)))
                    .append("; LAS weight of the kept pairs ").append(fmt(last.path(p + "mean_weight").asDouble(Double.NaN))).append(" &plusmn; ")
                    .append(fmt(last.path(p + "weight_sd").asDouble(Double.NaN))).append(" (mean &plusmn; sd); mean load ")
                    .append(fmt(last.path(p + "mean_load").asDouble(Double.NaN))).append(" candidate pairs per region.</p>");
        }
        return b.toString();
    }

    private static Svg.Series intervals(String name, Evaluation ranking, List<String> keys, int colour) {
        double[] v = new double[keys.size()];
        double[] lo = new double[keys.size()];
        double[] hi = new double[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            Interval m = metric(ranking, keys.get(i));
            v[i] = m == null ? Double.NaN : m.mean();
            lo[i] = m == null ? Double.NaN : m.low();
            hi[i] = m == null ? Double.NaN : m.high();
        }
        return new Svg.Series(name, v, lo, hi, colour);
    }

    /** Metric {@code name} of {@code e}; null when {@code e} is null or has none. */
    private static Interval metric(Evaluation e, String name) {
        return e == null ? null : e.metric(name);
    }

    /** Metric {@code name} of a cold-start block; null when there is no block. */
    private static Interval cold(Evaluation.Block block, String name) {
        return block == null ? null : block.metric(name);
    }

    private static double mean(Interval m) {
        return m == null ? Double.NaN : m.mean();
    }

    private static String interval(Interval m) {
        if (m == null) {
            return "-";
        }
        String s = fmt(m.mean());
        return m.runs() > 1 ? s + " [" + fmt(m.low()) + ", " + fmt(m.high()) + "]" : s;
    }

    /** What the history rule ({@code keep} or {@code exclude}) did to the lists the figures come from. */
    private static String historySentence(String rule) {
        return rule.equals("exclude") ? "Lists leave out the user's history items (history = exclude)."
                : "Lists rank the whole catalogue, the user's history items included (history = keep, the papers' protocol).";
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.4f", v) : "-";
    }

    private static String pct(double v) {
        return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.2f%%", 100 * v) : "-";
    }

    private static final String CSS = "body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1180px;color:#222}"
            + "h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd}.meta{color:#666}"
            + "table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}"
            + "svg.chart{margin:6px 8px 6px 0;background:#fafafa;border:1px solid #eee}.title{font-size:13px;font-weight:600}.tick{font-size:10px;fill:#555}"
            + ".grid{stroke:#e4e4e4}.whisker{stroke:#222;stroke-width:1.5}.zero{stroke:#999;stroke-dasharray:4 3}";
}
