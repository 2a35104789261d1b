package io.quasid.cli.pipeline;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import io.quasid.cli.ConfigOverrides;
import io.quasid.core.data.Dataset;
import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.core.io.AtomicFiles;
import io.quasid.core.io.InputFileException;
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
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a tokenizer on the item embeddings with the losses and pair masks of the chosen plugins, and writes
 * its folder: {@code model/}, {@code sids.csv} (with {@code sids.meta.json}), {@code stats.json} and
 * {@code training.json}, all at once.
 */
public final class Tokenization {
    private static final Logger LOG = LoggerFactory.getLogger(Tokenization.class);

    /** The checkpoint folder inside a tokenizer's folder. */
    public static final String CHECKPOINT = "checkpoint";
    /** The main job's record of the inputs a cached tokenizer folder was made from. */
    public static final String RUN_KEY = "run-key.txt";
    /**
     * What may be in a tokenizer's folder: the outputs, the checkpoint and the main job's run key. The folder
     * is replaced as a whole when training ends, so it must hold nothing else.
     */
    private static final Set<String> OWN = Set.of("model", "sids.csv", "sids.meta.json", "stats.json", "training.json", CHECKPOINT, RUN_KEY);

    private Tokenization() {}

    /**
     * What to train: the tokenizer's name, the plugins whose losses and pair masks it trains with, a folder of
     * plugin jars (null: the classpath only), the seed, {@code --set} settings, whether to resume from the
     * folder's checkpoint, the device.
     */
    public record Request(String tokenizer, List<String> plugins, Path pluginDir, long seed, Map<String, String> settings, boolean resume,
                          Device device) {
        public Request {
            plugins = List.copyOf(plugins);
            settings = Map.copyOf(settings);
        }
    }

    /**
     * A tokenizer's outputs as the pipeline passes them on: the SID table (with its codebook shape), its
     * metrics, the training history and the model's metadata (settings, plugins, batch layout).
     */
    public record Tokenized(SidTable sids, SidStats stats, JsonNode training, JsonNode metadata) {}

    /** Fails before any work when {@code out} is a file or holds files that are not a tokenizer's (replacing it would lose them). */
    public static void requireOutputFolder(Path out) {
        AtomicFiles.requireReplaceable(out, OWN, "a tokenizer's outputs");
    }

    /** Fails as {@link #train} would on the request's settings, tokenizer name or plugin names, before any work. */
    public static void check(Request request) throws IOException {
        ClassLoader host = Tokenization.class.getClassLoader();
        try (URLClassLoader jars = PluginFolder.classLoader(request.pluginDir(), host)) {
            PluginRegistry registry = PluginRegistry.load(jars, request.settings());
            ConfigOverrides.parse(request.settings(), registry);
            registry.tokenizer(request.tokenizer());
            registry.select(request.plugins());
        }
    }

    /**
     * Trains on {@code items} (row {@code i}: catalogue item {@code i} of {@code dataset}) and writes {@code out};
     * {@code sids.meta.json} records the settings the chosen plugins trained with ({@code plugin_settings}).
     */
    public static Tokenized train(Dataset dataset, Embeddings items, Request request, Path out) throws IOException {
        ClassLoader host = Tokenization.class.getClassLoader();
        try (URLClassLoader jars = PluginFolder.classLoader(request.pluginDir(), host)) {
            // the plugins parse their own settings when they start; the host's are the rest
            PluginRegistry registry = PluginRegistry.load(jars, request.settings());
            ConfigOverrides configs = ConfigOverrides.parse(request.settings(), registry);
            TokenizerFactory factory = registry.tokenizer(request.tokenizer());
            List<SidLoss> losses = new ArrayList<>();
            List<PairMask> masks = new ArrayList<>();
            List<String> used = new ArrayList<>();
            Map<String, Object> pluginSettings = new LinkedHashMap<>();
            for (LoadedPlugin plugin : registry.select(request.plugins())) {
                losses.addAll(plugin.losses());
                masks.addAll(plugin.pairMasks());
                used.add(plugin.name() + " " + plugin.version());
                pluginSettings.putAll(plugin.settings());
            }
            requireOutputFolder(out);
            TokenizerContext.Builder context = TokenizerContext.builder(request.device(), request.seed())
                    .losses(losses).pairMasks(masks).plugins(used)
                    .checkpoints(out.resolve(CHECKPOINT), request.resume());
            if (losses.stream().anyMatch(SidLoss::requiresPairs)) {
                SwingPairs pairs = SwingPairs.of(new LeaveOneOutSplit(dataset), configs.get(SwingConfig.class));
                LOG.info("Swing: {} (trigger, target) pairs from the training interactions", pairs.size());
                context.pairs(pairs);
            }
            try (Tokenizer trained = factory.fit(items, context.build())) {
                SidTable table = new SidTable(dataset.catalogue().ids(), trained.assign(items), trained.shape());
                SidStats stats = SidMetrics.compute(table);
                Map<String, Object> meta = new LinkedHashMap<>(trained.metadata());
                Object training = meta.remove("training");
                meta.putIfAbsent("tokenizer", factory.name()); // what assign loads the model with
                meta.put("plugin_settings", pluginSettings);
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
                return new Tokenized(table, stats, Json.MAPPER.valueToTree(training == null ? Map.of() : training), Json.MAPPER.valueToTree(meta));
            }
        }
    }

    /** The outputs in a folder {@link #train} wrote; fails naming the file that is missing or malformed. */
    public static Tokenized read(Path out) {
        Path stats = out.resolve("stats.json");
        SidStats s;
        try {
            s = Json.MAPPER.treeToValue(Json.read(stats), SidStats.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new InputFileException(stats, "is not a tokenizer's SID metrics: " + e.getMessage());
        }
        Path sids = out.resolve("sids.csv");
        return new Tokenized(SidCsv.read(sids), s, Json.read(out.resolve("training.json")), Json.read(SidCsv.metadataFile(sids)));
    }

    /** Per level, the number of items on each code, most used first (unused codes as zeros). */
    public static List<int[]> codeUsage(SidTable table) {
        List<int[]> levels = new ArrayList<>();
        for (int[] counts : table.codes().usage(table.shape().codes())) {
            levels.add(java.util.Arrays.stream(counts).boxed().sorted((a, b) -> b - a).mapToInt(Integer::intValue).toArray());
        }
        return levels;
    }
}
