package io.quasid.cli;

import io.quasid.cli.pipeline.Evaluation;
import io.quasid.cli.pipeline.Evaluator;
import io.quasid.core.Devices;
import io.quasid.core.data.Catalogue;
import io.quasid.core.data.Dataset;
import io.quasid.core.data.DatasetReader;
import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.core.data.UnknownItems;
import io.quasid.core.io.InputFileException;
import io.quasid.core.io.Json;
import io.quasid.core.sid.SidCsv;
import io.quasid.core.sid.SidTable;
import io.quasid.ranking.HistoryRule;
import io.quasid.ranking.mahout.TasteConfig;
import io.quasid.ranking.sasrec.SasRecConfig;
import io.quasid.ranking.tiger.TigerConfig;
import io.quasid.spi.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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

    @Option(names = "--removed-share", defaultValue = "" + Evaluator.REMOVED_SHARE, description = "Share of items removed from training for the cold block (0 skips it; default: ${DEFAULT-VALUE}).")
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
        SidTable table = aligned(dataset.catalogue(), SidCsv.read(sids), sids);
        LeaveOneOutSplit split = new LeaveOneOutSplit(dataset);
        Evaluator.Options options = new Evaluator.Options(seeds, removedShare, rule, saveModel, predictions, Devices.resolve(device));
        Evaluation result = switch (model) {
            case "sasrec" -> Evaluator.sasrec(split, table, configs.get(SasRecConfig.class), options);
            case "tiger" -> Evaluator.tiger(split, table, configs.get(TigerConfig.class), options);
            default -> Evaluator.mahout(split, table, configs.get(TasteConfig.class), plainTaste, removedShare);
        };
        spec.commandLine().getOut().println(Json.toString(result.withSids(sids.toString())));
        return 0;
    }

    /** The table's SIDs of the catalogue's items, in catalogue order; fails naming the file and items the table lacks. */
    static SidTable aligned(Catalogue catalogue, SidTable table, Path file) {
        try {
            return table.alignedTo(catalogue.ids());
        } catch (IllegalArgumentException e) {
            throw new InputFileException(file, "does not cover the catalogue: " + e.getMessage());
        }
    }
}
