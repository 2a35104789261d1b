package io.quasid.cli;

import io.quasid.cli.pipeline.Tokenization;
import io.quasid.core.Devices;
import io.quasid.core.data.Dataset;
import io.quasid.core.data.DatasetReader;
import io.quasid.core.data.UnknownItems;
import io.quasid.core.embedding.EmbeddingCache;
import io.quasid.core.io.Json;
import io.quasid.spi.Embeddings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quasid tokenize}: trains a tokenizer on the item embeddings, writes the model, the SIDs and their stats. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Train a tokenizer (with the losses of the chosen plugins) and write the model, SID table and stats.")
final class TokenizeCommand implements Callable<Integer> {
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

    @Option(names = "--epochs", description = "Training epochs of a gradient-trained tokenizer (default: 200); the same as --set TOKENIZER.epochs=N.")
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

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        if (epochs != null) {
            settings.put(tokenizer + ".epochs", epochs.toString());
        }
        Tokenization.Request request = new Tokenization.Request(tokenizer, plugins, pluginDir, seed, settings, resume, Devices.resolve(device));
        Tokenization.check(request); // a bad setting, tokenizer or plugin fails before the data is read
        Tokenization.requireOutputFolder(out);
        Dataset dataset = new DatasetReader(unknownItems).read(data);
        Embeddings items = ItemEmbeddings.of(dataset.catalogue(), embeddings, cache, Runtime.getRuntime().availableProcessors());
        Tokenization.Tokenized trained = Tokenization.train(dataset, items, request, out);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("tokenizer", tokenizer);
        summary.put("plugins", trained.metadata().has("plugins") ? trained.metadata().get("plugins") : plugins);
        summary.put("seed", seed);
        summary.put("model", out.resolve("model").toString());
        summary.put("sids", out.resolve("sids.csv").toString());
        summary.put("stats_file", out.resolve("stats.json").toString());
        summary.put("training_file", out.resolve("training.json").toString());
        summary.put("seconds", (System.nanoTime() - start) / 1e9);
        summary.put("stats", trained.stats());
        spec.commandLine().getOut().println(Json.toString(summary));
        return 0;
    }
}
