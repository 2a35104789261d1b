package io.quasid.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code report.html} of {@code quasid run}: one self-contained page (inline CSS and SVG, no script, no
 * network) drawn from {@code results.json}: SID quality, per-level code usage, Hamming-nearest profile,
 * training curves, ranking metrics with intervals, cold-start results, the Mahout host and the A/B test.
 */
public final class ReportPage {
    private static final String[] K = {"3", "5", "10"};

    private ReportPage() {}

    public static String html(JsonNode results) {
        JsonNode tokenizers = results.path("tokenizers");
        List<String> names = new ArrayList<>();
        tokenizers.fieldNames().forEachRemaining(names::add);
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>QuaSID run: ").append(Svg.escape(results.path("data").asText()))
                .append("</title><style>").append(CSS).append("</style></head><body>");
        b.append("<h1>Collision-aware Semantic IDs: ").append(Svg.escape(results.path("data_name").asText())).append("</h1>");
        b.append("<p class=\"meta\">").append(Svg.escape(results.path("data").asText())).append(" &middot; ")
                .append(results.path("users").asLong()).append(" users, ").append(results.path("items").asLong()).append(" items &middot; ")
                .append(results.path("quick").asBoolean() ? "quick run (subset, small budgets) &middot; " : "")
                .append(results.path("seeds").asInt()).append(" seed(s) &middot; ").append(Svg.label(results.path("seconds").asDouble()))
                .append(" s &middot; ").append(Svg.escape(results.path("finished_at").asText())).append("</p>");

        b.append("<section id=\"summary\"><h2>Summary</h2><table><tr><th>tokenizer</th><th>collision rate</th><th>entropy (nats)</th>"
                + "<th>min perplexity</th><th>top-1 load</th><th>Recall@10</th><th>NDCG@10</th><th>cold (removed) Recall@10</th><th>rows per training step</th></tr>");
        for (String t : names) {
            JsonNode s = tokenizers.path(t).path("sid_metrics");
            JsonNode r = tokenizers.path(t).path("ranking");
            b.append("<tr><td>").append(Svg.escape(t)).append("</td><td>").append(pct(s.path("collision_rate").asDouble())).append("</td><td>")
                    .append(fmt(s.path("entropy_nats").asDouble())).append("</td><td>").append(fmt(s.path("perplexity_min").asDouble()))
                    .append("</td><td>").append(pct(s.path("top1_load_mean").asDouble())).append("</td><td>").append(interval(r.path("recall@10")))
                    .append("</td><td>").append(interval(r.path("ndcg@10"))).append("</td><td>")
                    .append(interval(r.path("cold_start").path("removed_from_training").path("recall@10"))).append("</td><td>")
                    .append(stepLayout(tokenizers.path(t).path("model"))).append("</td></tr>");
        }
        b.append("</table><p>A pair step (QuaSID, AdaSID; METHOD.md §2) holds B Swing pairs followed by catalogue rows, so every item is"
                + " reconstructed in every epoch; with pairs only (the papers' layout) items in no Swing pair are never trained on.</p>");
        b.append(adaSidGate(tokenizers, names)).append("</section>");

        b.append("<section id=\"codes\"><h2>Per-level code usage</h2><p>Items per code, codes sorted by use; a flat line is an evenly used codebook.</p>");
        int levels = tokenizers.path(names.isEmpty() ? "" : names.get(0)).path("code_usage").size();
        for (int l = 0; l < levels; l++) {
            List<Svg.Series> series = new ArrayList<>();
            for (String t : names) {
                series.add(new Svg.Series(t, doubles(tokenizers.path(t).path("code_usage").path(l)), names.indexOf(t)));
            }
            b.append(Svg.lines("Level " + (l + 1) + ": items per code", "code rank", series, true));
        }
        b.append("</section>");

        b.append("<section id=\"hamming\"><h2>Hamming-nearest profile</h2><p>Items whose nearest other SID is at Hamming distance H (H = 0: a full collision).</p>");
        List<String> hs = new ArrayList<>();
        List<Svg.Series> hamming = new ArrayList<>();
        for (String t : names) {
            double[] h = doubles(tokenizers.path(t).path("sid_metrics").path("hamming_nearest"));
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
                JsonNode history = tokenizers.path(t).path("training").path("history");
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
        String rule = names.isEmpty() ? "" : tokenizers.path(names.get(0)).path("ranking").path("history").asText("");
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
                series.add(intervals(t, tokenizers.path(t).path("ranking"), cats, names.indexOf(t)));
            }
            b.append(Svg.bars((metric.equals("recall") ? "Recall" : "NDCG") + "@K, mean and 95% interval over seeds", cats, series));
        }
        b.append("</section>");

        b.append(retrieval(tokenizers, names));

        b.append("<section id=\"cold\"><h2>Cold-start items</h2>");
        List<String> coldCats = List.of("bottom decile", "removed from training");
        List<Svg.Series> cold = new ArrayList<>();
        for (String t : names) {
            JsonNode c = tokenizers.path(t).path("ranking").path("cold_start");
            cold.add(new Svg.Series(t, new double[] {c.path("bottom_decile").path("recall@10").path("mean").asDouble(Double.NaN),
                    c.path("removed_from_training").path("recall@10").path("mean").asDouble(Double.NaN)}, names.indexOf(t)));
        }
        b.append(Svg.bars("Recall@10 on users whose test item is cold", coldCats, cold));
        JsonNode mahout = results.path("mahout");
        if (!mahout.isMissingNode()) {
            b.append("<h3>Apache Mahout host (Taste item-based, log-likelihood)</h3><table><tr><th>host</th><th>Recall@10</th><th>NDCG@10</th>"
                    + "<th>bottom-decile Recall@10</th><th>removed items recommended</th><th>removed Recall@10</th></tr>");
            for (Iterator<Map.Entry<String, JsonNode>> it = mahout.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode m = e.getValue();
                JsonNode removed = m.path("cold_start").path("removed_from_training");
                b.append("<tr><td>").append(Svg.escape(e.getKey())).append("</td><td>").append(fmt(m.path("recall@10").path("mean").asDouble()))
                        .append("</td><td>").append(fmt(m.path("ndcg@10").path("mean").asDouble())).append("</td><td>")
                        .append(fmt(m.path("cold_start").path("bottom_decile").path("recall@10").path("mean").asDouble())).append("</td><td>")
                        .append(removed.path("items_recommended").asText("-")).append("</td><td>")
                        .append(fmt(removed.path("recall@10").path("mean").asDouble(Double.NaN))).append("</td></tr>");
            }
            b.append("</table>");
        }
        b.append("</section>");

        JsonNode ab = results.path("ab").path("report");
        if (!ab.isMissingNode()) {
            b.append("<section id=\"ab\"><h2>A/B test (replayed held-out users)</h2><p>Control: ")
                    .append(Svg.escape(results.path("ab").path("control").asText())).append(" SIDs; treatment: ")
                    .append(Svg.escape(results.path("ab").path("treatment").asText())).append(" SIDs. ")
                    .append(historySentence(results.path("ab").path("history").asText("exclude"))).append("</p><table><tr><th>arm</th><th>users</th><th>requests</th>"
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
        for (JsonNode s : results.path("stages")) {
            b.append("<tr><td>").append(Svg.escape(s.path("name").asText())).append("</td><td>").append(Svg.label(s.path("seconds").asDouble()))
                    .append("</td><td>").append(Svg.escape(s.path("note").asText(""))).append("</td></tr>");
        }
        b.append("</table></section></body></html>\n");
        return b.toString();
    }

    /**
     * The generative retriever (METHOD.md §7) beside the ranking model, per tokenizer that has both; empty
     * when the run trained no retriever.
     */
    private static String retrieval(JsonNode tokenizers, List<String> names) {
        StringBuilder rows = new StringBuilder();
        for (String t : names) {
            JsonNode g = tokenizers.path(t).path("retrieval");
            if (g.isMissingNode()) {
                continue;
            }
            JsonNode r = tokenizers.path(t).path("ranking");
            JsonNode run = g.path("runs").path(0);
            rows.append("<tr><td>").append(Svg.escape(t)).append("</td><td>").append(interval(r.path("recall@10"))).append("</td><td>")
                    .append(interval(r.path("ndcg@10"))).append("</td><td>").append(interval(g.path("recall@10"))).append("</td><td>")
                    .append(interval(g.path("ndcg@10"))).append("</td><td>").append(interval(g.path("recall@5"))).append("</td><td>")
                    .append(interval(g.path("ndcg@5"))).append("</td><td>")
                    .append(interval(g.path("cold_start").path("bottom_decile").path("recall@10"))).append("</td><td>")
                    .append(run.path("best_epoch").asText("-")).append(" of ").append(run.path("epochs").asText("-")).append("</td><td>")
                    .append(Svg.label(g.path("seconds").asDouble())).append("</td></tr>");
        }
        if (rows.isEmpty()) {
            return "";
        }
        JsonNode config = tokenizers.path(names.stream().filter(t -> tokenizers.path(t).has("retrieval")).findFirst().orElseThrow())
                .path("retrieval").path("config");
        return "<section id=\"retrieval\"><h2>Generative retrieval (TIGER on the SIDs, full catalogue, test)</h2><p>The SID is the item's name: an"
                + " encoder-decoder spells the next item's codes and de-duplication code, beam search (beam " + config.path("beam").asText("-")
                + ") constrained to the catalogue; " + config.path("encoder_layers").asText("-") + "+" + config.path("decoder_layers").asText("-")
                + " layers, d_model " + config.path("d_model").asText("-") + ", " + config.path("heads").asText("-") + " heads of "
                + config.path("head_dim").asText("-") + ", d_ff " + config.path("d_ff").asText("-") + ". Collisions and crowded codes hurt it"
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
    private static String adaSidGate(JsonNode tokenizers, List<String> names) {
        String p = "adasid.collision/";
        StringBuilder b = new StringBuilder();
        for (String t : names) {
            JsonNode history = tokenizers.path(t).path("training").path("history");
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

    private static Svg.Series intervals(String name, JsonNode ranking, List<String> keys, int colour) {
        double[] v = new double[keys.size()];
        double[] lo = new double[keys.size()];
        double[] hi = new double[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            JsonNode m = ranking.path(keys.get(i));
            v[i] = m.path("mean").asDouble(Double.NaN);
            lo[i] = m.path("low").asDouble(Double.NaN);
            hi[i] = m.path("high").asDouble(Double.NaN);
        }
        return new Svg.Series(name, v, lo, hi, colour);
    }

    private static double[] doubles(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asDouble();
        }
        return v;
    }

    private static String interval(JsonNode m) {
        if (m.isMissingNode()) {
            return "-";
        }
        String s = fmt(m.path("mean").asDouble());
        return m.path("runs").asInt() > 1 ? s + " [" + fmt(m.path("low").asDouble()) + ", " + fmt(m.path("high").asDouble()) + "]" : s;
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
