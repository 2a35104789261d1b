package io.quasid.cli;

import io.quasid.core.Devices;
import io.quasid.core.data.Dataset;
import io.quasid.core.data.DatasetReader;
import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.core.data.UnknownItems;
import io.quasid.core.embedding.EmbeddingCache;
import io.quasid.core.io.AtomicFiles;
import io.quasid.core.io.Json;
import io.quasid.core.pairs.SwingConfig;
import io.quasid.core.pairs.SwingPairs;
import io.quasid.core.plugin.LoadedPlugin;
import io.quasid.core.plugin.PluginFolder;
import io.quasid.core.plugin.PluginRegistry;
import io.quasid.core.sid.SidCsv;
import io.quasid.core.sid.SidMetrics;
import io.quasid.core.sid.SidStats;
import io.quasid.core.sid.SidTable;
import io.quasid.spi.Embeddings;
import io.quasid.spi.PairMask;
import io.quasid.spi.SidLoss;
import io.quasid.spi.Tokenizer;
import io.quasid.spi.TokenizerContext;
import io.quasid.spi.TokenizerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quasid tokenize}: trains a tokenizer on the item embeddings, writes the model, the SIDs and their stats. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Train a tokenizer (with the losses of the chosen plugins) and write the model, SID table and stats.")
final class TokenizeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(TokenizeCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "Data set folder (P5+RecBole or CSV format).")
    Path data;

    @Option(names = "--tokenizer", defaultValue = "rqvae", description = "Tokenizer: rqvae or rqkmeans (default: ${DEFAULT-VALUE}).")
    String tokenizer;

    @Option(names = "--plugins", split = ",", description = "Plugins whose losses and pair masks train the tokenizer, e.g. quasid.")
    List<String> plugins = new ArrayList<>();

    @Option(names = "--plugin-dir", description = "A folder of plugin jars to load besides the classpath.")
    Path pluginDir;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of initialisation and batch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--epochs", description = "Training epochs of rqvae (default: 200); the same as --set rqvae.epochs=N.")
    Integer epochs;

    @Option(names = "--set", description = "Override a setting, e.g. rqvae.codes=512 or rqvae.hidden=[256,128] (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--out", required = true, description = "Output folder: model/, sids.csv, sids.meta.json, stats.json, training.json.")
    Path out;

    @Option(names = "--resume", description = "Continue from the checkpoint in <out>/checkpoint if there is one.")
    boolean resume;

    @Option(names = "--embeddings", description = "Item embeddings (.npy with <name>.items.txt beside it) instead of embedding the item text.")
    Path embeddings;

    @Option(names = "--cache", description = "Embedding cache folder (default: ${DEFAULT-VALUE}).")
    Path cache = EmbeddingCache.defaultDir();

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--unknown-items", description = "Interactions with items absent from the metadata: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    UnknownItems unknownItems = UnknownItems.FAIL;

    private static final String CHECKPOINT = "checkpoint";
    /**
     * What may be in {@code --out}: the outputs, the checkpoint, and the main job's run key. The folder is
     * replaced as a whole when training ends, so it must hold nothing else.
     */
    private static final java.util.Set<String> OWN = java.util.Set.of("model", "sids.csv", "sids.meta.json", "stats.json", "training.json",
            CHECKPOINT, "run-key.txt");

    /** Fails before any work when {@code out} is a file or holds files that are not a tokenizer's (replacing it would lose them). */
    static void requireOutputFolder(Path out) throws java.io.IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file: give a new or empty folder");
        }
        if (Files.isDirectory(out)) {
            try (java.util.stream.Stream<Path> entries = Files.list(out)) {
                List<String> foreign = entries.map(p -> p.getFileName().toString()).filter(n -> !OWN.contains(n)).sorted().toList();
                if (!foreign.isEmpty()) {
                    throw new IllegalArgumentException("--out " + out + " holds files that are not a tokenizer's output " + foreign
                            + ": give a new or empty folder (it is replaced when training ends)");
                }
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        if (epochs != null) {
            settings.put("rqvae.epochs", epochs.toString());
        }
        ConfigOverrides configs = ConfigOverrides.parse(settings);
        requireOutputFolder(out);
        Dataset dataset = new DatasetReader(unknownItems).read(data);
        ClassLoader host = getClass().getClassLoader();
        try (java.net.URLClassLoader jars = pluginDir == null ? null : PluginFolder.classLoader(pluginDir, host)) {
            PluginRegistry registry = PluginRegistry.load(jars == null ? host : jars, configs.modules());
            TokenizerFactory factory = registry.tokenizer(tokenizer);
            List<SidLoss> losses = new ArrayList<>();
            List<PairMask> masks = new ArrayList<>();
            List<String> used = new ArrayList<>();
            for (LoadedPlugin plugin : registry.select(plugins)) {
                losses.addAll(plugin.losses());
                masks.addAll(plugin.pairMasks());
                used.add(plugin.name() + " " + plugin.version());
            }
            Embeddings items = ItemEmbeddings.of(dataset.catalogue(), embeddings, cache, Runtime.getRuntime().availableProcessors());
            TokenizerContext.Builder context = TokenizerContext.builder(Devices.resolve(device), seed)
                    .losses(losses).pairMasks(masks).plugins(used)
                    .checkpoints(out.resolve(CHECKPOINT), resume);
            if (losses.stream().anyMatch(SidLoss::requiresPairs)) {
                SwingPairs pairs = SwingPairs.of(new LeaveOneOutSplit(dataset), configs.get(SwingConfig.class));
                LOG.info("Swing: {} (trigger, target) pairs from the training interactions", pairs.size());
                context.pairs(pairs);
            }
            try (Tokenizer trained = factory.fit(items, context.build())) {
                SidTable table = new SidTable(dataset.catalogue().ids(), trained.assign(items));
                SidStats stats = SidMetrics.compute(table, trained.shape().codes());
                Map<String, Object> meta = new LinkedHashMap<>(trained.metadata());
                Object training = meta.remove("training");
                // all outputs appear at once: written beside the folder, which then replaces it (keeping the checkpoint)
                AtomicFiles.writeDirectory(out, tmp -> {
                    trained.save(tmp.resolve("model"));
                    SidCsv.write(tmp.resolve("sids.csv"), table);
                    Json.write(SidCsv.metadataFile(tmp.resolve("sids.csv")), meta);
                    Json.write(tmp.resolve("stats.json"), stats);
                    Json.write(tmp.resolve("training.json"), training == null ? Map.of() : training);
                    if (Files.isDirectory(out.resolve(CHECKPOINT))) {
                        Files.move(out.resolve(CHECKPOINT), tmp.resolve(CHECKPOINT));
                    }
                });
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("tokenizer", tokenizer);
                summary.put("plugins", used);
                summary.put("seed", seed);
                summary.put("model", out.resolve("model").toString());
                summary.put("sids", out.resolve("sids.csv").toString());
                summary.put("stats_file", out.resolve("stats.json").toString());
                summary.put("training_file", out.resolve("training.json").toString());
                summary.put("seconds", (System.nanoTime() - start) / 1e9);
                summary.put("stats", stats);
                spec.commandLine().getOut().println(Json.toString(summary));
            }
        }
        return 0;
    }
}
