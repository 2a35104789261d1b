package io.quasid.cli;

import io.quasid.core.Devices;
import io.quasid.core.data.Catalogue;
import io.quasid.core.data.Dataset;
import io.quasid.core.data.DatasetReader;
import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.core.data.UnknownItems;
import io.quasid.core.io.AtomicFiles;
import io.quasid.core.io.InputFileException;
import io.quasid.core.io.Json;
import io.quasid.core.ranking.Interval;
import io.quasid.core.ranking.RankingMetrics;
import io.quasid.core.sid.SidCsv;
import io.quasid.core.sid.SidTable;
import io.quasid.ranking.HistoryRule;
import io.quasid.ranking.RankingModel;
import io.quasid.ranking.Scored;
import io.quasid.ranking.mahout.SidIndex;
import io.quasid.ranking.mahout.TasteConfig;
import io.quasid.ranking.mahout.TasteEvaluation;
import io.quasid.ranking.sasrec.SasRecConfig;
import io.quasid.ranking.sasrec.SasRecTrainer;
import io.quasid.ranking.tiger.TigerConfig;
import io.quasid.ranking.tiger.TigerTrainer;
import io.quasid.spi.CodebookShape;
import io.quasid.spi.Sid;
import io.quasid.spi.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quasid evaluate}: trains the SID-feature ranking model (or the generative retriever) per seed and prints full-catalogue
 * Recall/NDCG@3/5/10 on test with 95% intervals over seeds, plus two cold-start blocks: test users whose
 * target is in the bottom popularity decile, and a second model trained with a random share of items
 * removed from training, evaluated on the users whose target is one of them.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Train and evaluate the ranking model on an SID table; print one JSON object.")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "Data set folder.")
    Path data;

    @Option(names = "--sids", required = true, description = "SID table (CSV item_id,c1,...,cL) covering every catalogue item.")
    Path sids;

    @Option(names = "--model", defaultValue = "sasrec", description = "Model: sasrec (the SID-feature ranking model, default), tiger (generative retrieval: spells the next item's SID, beam search"
            + " over the catalogue's trie) or mahout (a Taste item-based host with and without the SID adapters).")
    String model;

    @Option(names = "--features", description = "Item features: sid, id or sid+id (default: sid); the same as --set sasrec.features=F.")
    String features;

    @Option(names = "--seeds", defaultValue = "1", description = "Seeds 1..N, one model each (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--epochs", description = "Largest number of epochs (early stopping may end sooner); the same as --set sasrec.max_epochs=N (tiger.max_epochs with --model tiger).")
    Integer epochs;

    @Option(names = "--set", description = "Override a setting, e.g. sasrec.dim=128 or sasrec.learning_rate=0.002 (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--removed-share", defaultValue = "0.05", description = "Share of items removed from training for the cold block (0 skips it; default: ${DEFAULT-VALUE}).")
    double removedShare;

    @Option(names = "--plain-taste", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "mahout: also evaluate plain Taste on the same split (default: ${DEFAULT-VALUE}; --no-plain-taste skips it).")
    boolean plainTaste;

    @Option(names = "--save-model", description = "Save seed 1's model (sasrec or tiger) to this folder, e.g. for quasid serve.")
    Path saveModel;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--history", defaultValue = "keep", description = "keep: lists rank the whole catalogue, history items included (the papers'"
            + " protocol); exclude: lists leave the user's history out, as an A/B arm with \"history\": \"exclude\" serves (default: ${DEFAULT-VALUE}).")
    String history;

    @Option(names = "--predictions", description = "Write seed 1's test list of 10 for every evaluated user (sasrec or tiger) to this JSON Lines file:"
            + " user, target, rank (0-based in the list, null when not listed), items.")
    Path predictions;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        Settings.oneOf("model", model, List.of("sasrec", "tiger", "mahout"));
        Settings.inRange("seeds", seeds, 1, 100);
        Settings.inRange("removed share", removedShare, 0, 0.5);
        HistoryRule rule = HistoryRule.of(history);
        if (predictions != null && model.equals("mahout")) {
            throw new IllegalArgumentException("--predictions writes the lists of a sasrec or tiger model; --model mahout has none");
        }
        if (saveModel != null && model.equals("mahout")) {
            throw new IllegalArgumentException("--save-model saves a sasrec or tiger model; --model mahout has none to save");
        }
        if (features != null) {
            settings.put("sasrec.features", features);
        }
        if (epochs != null) {
            settings.put((model.equals("tiger") ? "tiger" : "sasrec") + ".max_epochs", epochs.toString());
        }
        ConfigOverrides configs = ConfigOverrides.parse(settings);
        Dataset dataset = new DatasetReader(UnknownItems.FAIL).read(data);
        SidTable table = SidCsv.read(sids);
        int[][] codes = aligned(dataset.catalogue(), table, sids);
        LeaveOneOutSplit split = new LeaveOneOutSplit(dataset);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model);
        out.put("sids", sids.toString());
        out.put("history", rule.key());
        int k = SidCsv.codebookSize(sids, table);
        if (model.equals("sasrec")) {
            SasRecConfig config = configs.get(SasRecConfig.class);
            out.put("features", config.features().label());
            out.put("config", config);
            trainAndEvaluate(split, rule, (s, seed) -> sasrec(config, s, codes, k, seed), out);
        } else if (model.equals("tiger")) {
            TigerConfig config = configs.get(TigerConfig.class);
            Sid[] sidOf = new Sid[codes.length];
            for (int i = 0; i < codes.length; i++) {
                sidOf[i] = Sid.of(codes[i]);
            }
            CodebookShape shape = new CodebookShape(table.levels(), k);
            out.put("config", config);
            trainAndEvaluate(split, rule, (s, seed) -> tiger(config, s, sidOf, shape, seed), out);
        } else {
            mahout(configs.get(TasteConfig.class), split, codes, out);
        }
        out.put("seconds", (System.nanoTime() - start) / 1e9);
        spec.commandLine().getOut().println(Json.toString(out));
        return 0;
    }

    /**
     * One JSON line per evaluated user: its id, test target, the target's 0-based rank in the list (null when
     * not listed) and the list of 10 item ids, as {@code model.recommend} makes it under {@code rule}.
     */
    private void writePredictions(RankingModel m, LeaveOneOutSplit split, HistoryRule rule) {
        int k = RankingMetrics.CUTOFFS.get(RankingMetrics.CUTOFFS.size() - 1);
        List<Integer> users = new ArrayList<>();
        List<int[]> histories = new ArrayList<>();
        for (int u = 0; u < split.dataset().userCount(); u++) {
            if (split.evaluated(u)) {
                users.add(u);
                histories.add(split.testHistory(u, Integer.MAX_VALUE));
            }
        }
        List<List<Scored>> lists = m.recommend(histories, k, rule);
        com.fasterxml.jackson.databind.ObjectWriter oneLine = Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
        AtomicFiles.write(predictions, stream -> {
            java.io.Writer w = new java.io.OutputStreamWriter(stream, java.nio.charset.StandardCharsets.UTF_8);
            for (int b = 0; b < users.size(); b++) {
                int u = users.get(b);
                int target = split.testTarget(u);
                List<String> ids = lists.get(b).stream().map(s -> split.dataset().catalogue().item(s.item()).id()).toList();
                int rank = lists.get(b).stream().map(Scored::item).toList().indexOf(target);
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("user", split.dataset().user(u));
                line.put("target", split.dataset().catalogue().item(target).id());
                line.put("rank", rank < 0 ? null : rank);
                line.put("items", ids);
                w.write(oneLine.writeValueAsString(line));
                w.write('\n');
            }
            w.flush();
        });
    }

    /** A trained model and the epochs its training ran and kept. */
    private record Fitted(RankingModel model, int bestEpoch, int epochs) {}

    private Fitted sasrec(SasRecConfig config, LeaveOneOutSplit split, int[][] codes, int k, int seed) {
        SasRecTrainer.Trained t = new SasRecTrainer(config, split, codes, k).fit(Devices.resolve(device), seed);
        return new Fitted(t.model(), t.bestEpoch(), t.history().size());
    }

    private Fitted tiger(TigerConfig config, LeaveOneOutSplit split, Sid[] sidOf, CodebookShape shape, int seed) {
        TigerTrainer.Trained t = new TigerTrainer(config, split, sidOf, shape).fit(Devices.resolve(device), seed);
        return new Fitted(t.model(), t.bestEpoch(), t.history().size());
    }

    /**
     * Per seed: trains a model ({@code fit}), evaluates it on test, validation and the bottom-decile cold
     * items, and (with a removed share) trains a second one without a random share of the items and
     * evaluates it on the users whose test item is one of them; puts the intervals over seeds into {@code out}.
     * Every list follows {@code rule}.
     */
    private void trainAndEvaluate(LeaveOneOutSplit split, HistoryRule rule, java.util.function.BiFunction<LeaveOneOutSplit, Integer, Fitted> fit,
                                  Map<String, Object> out) {
        int items = split.dataset().catalogue().size();
        boolean[] isCold = cold(split);
        Map<String, List<Double>> test = new LinkedHashMap<>();
        Map<String, List<Double>> validation = new LinkedHashMap<>();
        Map<String, List<Double>> coldDecile = new LinkedHashMap<>();
        Map<String, List<Double>> removed = new LinkedHashMap<>();
        List<Map<String, Object>> runs = new ArrayList<>();
        long coldUsers = 0;
        long removedUsers = 0;
        for (int seed = 1; seed <= seeds; seed++) {
            Map<String, Object> run = new LinkedHashMap<>();
            long started = System.nanoTime();
            Fitted fitted = fit.apply(split, seed);
            try (RankingModel m = fitted.model()) {
                if (seed == 1 && saveModel != null) {
                    m.save(saveModel);
                }
                if (seed == 1 && predictions != null) {
                    writePredictions(m, split, rule);
                }
                add(test, m.evaluate(split, true, null, rule));
                add(validation, m.evaluate(split, false, null, rule));
                RankingMetrics c = m.evaluate(split, true, i -> isCold[i], rule);
                coldUsers = c.users();
                add(coldDecile, c);
                run.put("seed", seed);
                run.put("best_epoch", fitted.bestEpoch());
                run.put("epochs", fitted.epochs());
            }
            run.put("seconds", (System.nanoTime() - started) / 1e9);
            if (removedShare > 0) {
                LeaveOneOutSplit without = split.withoutTraining(removedItems(items, removedShare, seed));
                started = System.nanoTime();
                Fitted second = fit.apply(without, seed);
                try (RankingModel m = second.model()) {
                    RankingMetrics r = m.evaluate(without, true, without::removedFromTraining, rule);
                    removedUsers = r.users();
                    add(removed, r);
                }
                run.put("removed_best_epoch", second.bestEpoch());
                run.put("removed_seconds", (System.nanoTime() - started) / 1e9);
            }
            runs.add(run);
        }
        out.put("seeds", seeds);
        out.putAll(intervals(test));
        out.put("validation", intervals(validation));
        Map<String, Object> coldBlock = new LinkedHashMap<>();
        coldBlock.put("bottom_decile", block(coldUsers, count(isCold), intervals(coldDecile)));
        if (removedShare > 0) {
            coldBlock.put("removed_from_training", block(removedUsers, Math.round(removedShare * items), intervals(removed)));
        }
        out.put("cold_start", coldBlock);
        out.put("runs", runs);
    }

    /**
     * The Mahout Taste host with the SID adapters (top-level metrics) and without them ({@code plain_taste}),
     * on the same split; the removed-items block uses the items seed 1 removes.
     */
    private void mahout(TasteConfig config, LeaveOneOutSplit split, int[][] codes, Map<String, Object> out) {
        int items = split.dataset().catalogue().size();
        boolean[] isCold = cold(split);
        SidIndex index = TasteEvaluation.index(codes);
        TasteEvaluation host = new TasteEvaluation(split);
        TasteEvaluation.Result withSids = host.evaluate(index, config, i -> isCold[i]);
        TasteEvaluation.Result plain = plainTaste ? host.evaluate(null, config, i -> isCold[i]) : null;
        TasteEvaluation.Result removedWithSids = null;
        TasteEvaluation.Result removedPlain = null;
        if (removedShare > 0) {
            LeaveOneOutSplit without = split.withoutTraining(removedItems(items, removedShare, 1));
            TasteEvaluation cold = new TasteEvaluation(without);
            removedWithSids = cold.evaluate(index, config, without::removedFromTraining);
            removedPlain = plainTaste ? cold.evaluate(null, config, without::removedFromTraining) : null;
        }
        out.put("config", config);
        out.putAll(tasteBlock(withSids, removedWithSids, count(isCold), Math.round(removedShare * items)));
        if (plainTaste) {
            out.put("plain_taste", tasteBlock(plain, removedPlain, count(isCold), Math.round(removedShare * items)));
        }
    }

    private static Map<String, Object> tasteBlock(TasteEvaluation.Result result, TasteEvaluation.Result removed, long coldItems, long removedItems) {
        Map<String, Object> b = new LinkedHashMap<>(intervals(result.all()));
        Map<String, Object> coldBlock = new LinkedHashMap<>();
        Map<String, Object> decile = block(result.selected().users(), coldItems, intervals(result.selected()));
        decile.put("items_recommended", result.selectedItemsRecommended());
        coldBlock.put("bottom_decile", decile);
        if (removed != null) {
            Map<String, Object> r = block(removed.selected().users(), removedItems, intervals(removed.selected()));
            r.put("items_recommended", removed.selectedItemsRecommended());
            coldBlock.put("removed_from_training", r);
        }
        b.put("cold_start", coldBlock);
        return b;
    }

    /** The bottom-decile cold items of the split, as a lookup by catalogue index. */
    private static boolean[] cold(LeaveOneOutSplit split) {
        boolean[] isCold = new boolean[split.dataset().catalogue().size()];
        for (int i : split.coldItems(LeaveOneOutSplit.DEFAULT_COLD_SHARE)) {
            isCold[i] = true;
        }
        return isCold;
    }

    private static long count(boolean[] flags) {
        long n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return n;
    }

    /** One run's metrics as single-run intervals, so every model reports the same shape. */
    private static Map<String, Interval> intervals(RankingMetrics metrics) {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        add(values, metrics);
        return intervals(values);
    }

    private static Map<String, Object> block(long users, long items, Map<String, Interval> metrics) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("users", users);
        b.put("items", items);
        b.putAll(metrics);
        return b;
    }

    private static void add(Map<String, List<Double>> into, RankingMetrics metrics) {
        metrics.values().forEach((k, v) -> into.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    }

    private static Map<String, Interval> intervals(Map<String, List<Double>> values) {
        Map<String, Interval> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, Interval.of(v)));
        return out;
    }

    /** A random {@code share} of the catalogue, fixed by the seed. */
    static int[] removedItems(int items, double share, long seed) {
        int[] all = IntStream.range(0, items).toArray();
        Random random = new Random(seed * 7919L + 17);
        for (int i = items - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, (int) Math.round(share * items));
    }

    /** Each catalogue item's codes; fails listing items the table lacks. */
    static int[][] aligned(Catalogue catalogue, SidTable table, Path file) {
        Map<String, Integer> row = new HashMap<>();
        for (int i = 0; i < table.size(); i++) {
            row.put(table.item(i), i);
        }
        int[][] out = new int[catalogue.size()][];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < catalogue.size(); i++) {
            Integer r = row.get(catalogue.item(i).id());
            if (r == null) {
                missing.add(catalogue.item(i).id());
            } else {
                out[i] = table.sid(r).codes();
            }
        }
        if (!missing.isEmpty()) {
            throw new InputFileException(file, missing.size() + " catalogue items have no SID, e.g. " + missing.subList(0, Math.min(5, missing.size())));
        }
        return out;
    }
}
