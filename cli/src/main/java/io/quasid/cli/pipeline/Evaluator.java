package io.quasid.cli.pipeline;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.core.io.AtomicFiles;
import io.quasid.core.io.Json;
import io.quasid.core.ranking.Interval;
import io.quasid.core.ranking.RankingMetrics;
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
import io.quasid.spi.Settings;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.stream.IntStream;

/**
 * The evaluation protocol of METHOD.md §6 and §7 on one split and one SID table: per seed, a model trained
 * on the training interactions, evaluated on test, validation and the bottom-decile cold items, and (with a
 * removed share) a twin trained without a random share of the items, evaluated on the users whose test item
 * is one of them; means and 95% intervals over seeds.
 */
public final class Evaluator {
    /** The share of items the removed-items twin leaves out of training, unless told otherwise. */
    public static final double REMOVED_SHARE = 0.05;

    private Evaluator() {}

    /**
     * How to evaluate: seeds {@code 1..seeds}; the share of items the removed-items twin leaves out (0: no
     * twin); the history rule of every list; where to save seed 1's model and write its test lists (null:
     * nowhere); the device.
     */
    public record Options(int seeds, double removedShare, HistoryRule rule, Path saveModel, Path predictions, Device device) {
        public Options {
            Settings.inRange("seeds", seeds, 1, 100);
            Settings.inRange("removed share", removedShare, 0, 0.5);
            if (rule == null || device == null) {
                throw new IllegalArgumentException("an evaluation needs a history rule and a device");
            }
        }
    }

    /**
     * A trained model, the epochs its training ran and kept, and the validation metrics of every user that its
     * training measured for the kept epoch (on the papers' protocol, {@code keep}); empty when training validated
     * on a sample of users.
     */
    private record Fitted(RankingModel model, int bestEpoch, int epochs, Optional<Map<String, Double>> validation) {
        static Fitted of(RankingModel model, List<Map<String, Double>> history, int bestEpoch) {
            Map<String, Double> validation = new LinkedHashMap<>();
            history.get(bestEpoch - 1).forEach((k, v) -> {
                if (k.startsWith("validation/")) {
                    validation.put(k.substring("validation/".length()), v);
                }
            });
            return new Fitted(model, bestEpoch, history.size(), Optional.of(validation));
        }

        Fitted sampledValidation() {
            return new Fitted(model, bestEpoch, epochs, Optional.empty());
        }
    }

    /** The SASRec-style ranking model on {@code sids} (METHOD.md §6). */
    public static Evaluation sasrec(LeaveOneOutSplit split, SidTable sids, SasRecConfig config, Options options) {
        return protocol("sasrec", config.features().label(), config, split, options, (s, seed) -> {
            SasRecTrainer.Trained t = new SasRecTrainer(config, s, sids).fit(options.device(), seed);
            return Fitted.of(t.model(), t.history(), t.bestEpoch());
        });
    }

    /** The generative retriever on {@code sids} (METHOD.md §7). */
    public static Evaluation tiger(LeaveOneOutSplit split, SidTable sids, TigerConfig config, Options options) {
        return protocol("tiger", null, config, split, options, (s, seed) -> {
            TigerTrainer.Trained t = new TigerTrainer(config, s, sids).fit(options.device(), seed);
            Fitted fitted = Fitted.of(t.model(), t.history(), t.bestEpoch());
            return config.validationUsers() == 0 ? fitted : fitted.sampledValidation();
        });
    }

    private static Evaluation protocol(String model, String features, Object config, LeaveOneOutSplit split, Options options,
                                       BiFunction<LeaveOneOutSplit, Integer, Fitted> fit) {
        long start = System.nanoTime();
        int items = split.dataset().catalogue().size();
        boolean[] isCold = cold(split);
        HistoryRule rule = options.rule();
        Map<String, List<Double>> test = new LinkedHashMap<>();
        Map<String, List<Double>> validation = new LinkedHashMap<>();
        Map<String, List<Double>> coldDecile = new LinkedHashMap<>();
        Map<String, List<Double>> removed = new LinkedHashMap<>();
        List<Evaluation.Run> runs = new ArrayList<>();
        long coldUsers = 0;
        long removedUsers = 0;
        int[] targets = testTargets(split);
        for (int seed = 1; seed <= options.seeds(); seed++) {
            long started = System.nanoTime();
            Fitted fitted = fit.apply(split, seed);
            try (RankingModel m = fitted.model()) {
                if (seed == 1 && options.saveModel() != null) {
                    m.save(options.saveModel());
                }
                if (seed == 1 && options.predictions() != null) {
                    writePredictions(m, split, rule, options.predictions());
                }
                // one pass over the test users gives all of them and the bottom decile
                long[] ranks = m.targetRanks(split, true, null, rule);
                RankingMetrics all = new RankingMetrics();
                RankingMetrics c = new RankingMetrics();
                for (int r = 0; r < ranks.length; r++) {
                    all.add(ranks[r]);
                    if (isCold[targets[r]]) {
                        c.add(ranks[r]);
                    }
                }
                add(test, all);
                coldUsers = c.users();
                add(coldDecile, c);
                Optional<Map<String, Double>> measured = fitted.validation().filter(v -> v.size() == all.values().size());
                if (rule == HistoryRule.KEEP && measured.isPresent()) {
                    // training measured the kept weights on every user's validation target under this rule already
                    measured.get().forEach((k, v) -> validation.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                } else {
                    add(validation, m.evaluate(split, false, null, rule));
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Integer removedBest = null;
            Double removedSeconds = null;
            if (options.removedShare() > 0) {
                LeaveOneOutSplit without = split.withoutTraining(removedItems(items, options.removedShare(), seed));
                started = System.nanoTime();
                Fitted second = fit.apply(without, seed);
                try (RankingModel m = second.model()) {
                    RankingMetrics r = m.evaluate(without, true, without::removedFromTraining, rule);
                    removedUsers = r.users();
                    add(removed, r);
                }
                removedBest = second.bestEpoch();
                removedSeconds = (System.nanoTime() - started) / 1e9;
            }
            runs.add(new Evaluation.Run(seed, fitted.bestEpoch(), fitted.epochs(), seconds, removedBest, removedSeconds));
        }
        Evaluation.Block removedBlock = options.removedShare() > 0
                ? new Evaluation.Block(removedUsers, Math.round(options.removedShare() * items), null, intervals(removed)) : null;
        Evaluation.ColdStart cold = new Evaluation.ColdStart(new Evaluation.Block(coldUsers, count(isCold), null, intervals(coldDecile)), removedBlock);
        return new Evaluation(model, null, rule.key(), features, config, options.seeds(), intervals(test), intervals(validation), cold, runs, null,
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * The Mahout Taste host with the SID adapters (the top-level metrics) and, with {@code plainTaste}, without
     * them ({@code plain_taste}), on the same split; the removed-items block uses the items seed 1 removes. Taste
     * never lists an item the user already has, so its history rule is {@code exclude}.
     */
    public static Evaluation mahout(LeaveOneOutSplit split, SidTable sids, TasteConfig config, boolean plainTaste, double removedShare) {
        Settings.inRange("removed share", removedShare, 0, 0.5);
        long start = System.nanoTime();
        int items = split.dataset().catalogue().size();
        boolean[] isCold = cold(split);
        SidIndex index = TasteEvaluation.index(sids.alignedTo(split.dataset().catalogue().ids()));
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
        long coldItems = count(isCold);
        long removedCount = Math.round(removedShare * items);
        Evaluation plainBlock = plainTaste ? taste(null, plain, removedPlain, coldItems, removedCount, null) : null;
        return taste(config, withSids, removedWithSids, coldItems, removedCount, plainBlock).withSeconds((System.nanoTime() - start) / 1e9);
    }

    private static Evaluation taste(TasteConfig config, TasteEvaluation.Result result, TasteEvaluation.Result removed, long coldItems, long removedItems,
                                    Evaluation plain) {
        Evaluation.Block decile = new Evaluation.Block(result.selected().users(), coldItems, result.selectedItemsRecommended(), intervals(result.selected()));
        Evaluation.Block removedBlock = removed == null ? null
                : new Evaluation.Block(removed.selected().users(), removedItems, removed.selectedItemsRecommended(), intervals(removed.selected()));
        return new Evaluation(config == null ? null : "mahout", null, config == null ? null : HistoryRule.EXCLUDE.key(), null, config, null,
                intervals(result.all()), null, new Evaluation.ColdStart(decile, removedBlock), null, plain, null);
    }

    /**
     * One JSON line per evaluated user: its id, test target, the target's 0-based rank in the list (null when
     * not listed) and the list of 10 item ids, as {@code model.recommend} makes it under {@code rule}.
     */
    private static void writePredictions(RankingModel m, LeaveOneOutSplit split, HistoryRule rule, Path file) {
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
        ObjectWriter oneLine = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);
        AtomicFiles.write(file, stream -> {
            Writer w = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
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

    /** The test target of every evaluated user, in user order. */
    private static int[] testTargets(LeaveOneOutSplit split) {
        return IntStream.range(0, split.dataset().userCount()).filter(split::evaluated).map(split::testTarget).toArray();
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

    private static void add(Map<String, List<Double>> into, RankingMetrics metrics) {
        metrics.values().forEach((k, v) -> into.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    }

    /** One run's metrics as single-run intervals, so every model reports the same shape. */
    private static Map<String, Interval> intervals(RankingMetrics metrics) {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        add(values, metrics);
        return intervals(values);
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
        return Arrays.copyOf(all, (int) Math.round(share * items));
    }
}
