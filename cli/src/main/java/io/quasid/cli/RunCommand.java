package io.quasid.cli;

import ai.djl.Device;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.quasid.ab.Application;
import io.quasid.ab.ReplayDriver;
import io.quasid.cli.pipeline.Evaluation;
import io.quasid.cli.pipeline.Evaluator;
import io.quasid.cli.pipeline.RunResults;
import io.quasid.cli.pipeline.Tokenization;
import io.quasid.cli.report.ReportPage;
import io.quasid.core.Devices;
import io.quasid.core.data.Dataset;
import io.quasid.core.data.DatasetReader;
import io.quasid.core.data.Item;
import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.core.data.UnknownItems;
import io.quasid.core.embedding.EmbeddingCache;
import io.quasid.core.io.AtomicFiles;
import io.quasid.core.io.Hashes;
import io.quasid.core.io.Json;
import io.quasid.core.plugin.LoadedPlugin;
import io.quasid.core.plugin.PluginRegistry;
import io.quasid.core.sid.SidTable;
import io.quasid.ranking.HistoryRule;
import io.quasid.ranking.mahout.TasteConfig;
import io.quasid.ranking.sasrec.SasRecConfig;
import io.quasid.ranking.tiger.TigerConfig;
import io.quasid.spi.Embeddings;
import io.quasid.spi.Settings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quasid run}: the whole mission on one data set, in one process. Reads the data set and splits it
 * once, embeds the items (cached), trains every tokenizer (reusing one whose inputs and settings are
 * unchanged) and measures its SIDs, trains and evaluates the ranking model on each SID table, the
 * generative retriever on the RQ-VAE and QuaSID SIDs, runs the Mahout host with and without the SID
 * adapters, serves an A/B test (control: RQ-VAE SIDs, treatment: QuaSID SIDs) and replays the held-out
 * users through it. The stages hand on typed values (the SID tables with their codebook shape, the
 * {@link RunResults} records), which become {@code results.json} and {@code report.html}. A failed stage
 * stops the run and leaves what earlier stages wrote.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the whole pipeline (embed, tokenize, SID metrics, ranking, generative retrieval, Mahout, A/B replay) and write results.json and report.html.")
final class RunCommand implements Callable<Integer> {
    /** The tokenizers compared, by name: the tokenizer and the plugins that train it. */
    static final Map<String, Tokenizing> TOKENIZERS = tokenizers();

    /** A tokenizer of the comparison: the tokenizer's name and its plugins. */
    record Tokenizing(String tokenizer, List<String> plugins) {}

    private static Map<String, Tokenizing> tokenizers() {
        Map<String, Tokenizing> t = new LinkedHashMap<>();
        t.put("rqvae", new Tokenizing("rqvae", List.of()));
        t.put("quasid", new Tokenizing("rqvae", List.of("quasid")));
        t.put("adasid", new Tokenizing("rqvae", List.of("adasid")));
        t.put("rqkmeans", new Tokenizing("rqkmeans", List.of()));
        return t;
    }

    /** The SID tables of the A/B test's control and treatment arms; they also get the Mahout host and the removed-items block. */
    static final List<String> AB_ARMS = List.of("rqvae", "quasid");

    /** Ranking-model epochs per SID table in the main job (what that budget costs in quality: README, "Measured on Amazon Beauty"). */
    static final int RANKING_EPOCHS = 3;

    /**
     * Generative-retriever epochs per SID table in the main job (the SID tables of {@link #AB_ARMS}), the budget
     * that keeps the job within 25 minutes on 2 cores (README); the comparison over every tokenizer and seed is
     * {@code quasid evaluate --model tiger}, run on its own.
     */
    static final int RETRIEVAL_EPOCHS = 1;

    /** {@code --quick} keeps every this-many-th user. */
    static final int QUICK_EVERY = 20;

    /** Tokenizer epochs with {@code --quick}. */
    static final int QUICK_TOKENIZER_EPOCHS = 15;

    @Spec
    CommandSpec spec;

    /** Users replayed at a time through the in-process A/B service (the serving benchmark's sweet spot on 2 cores). */
    static final int REPLAY_CONCURRENCY = 16;

    @Option(names = "--data", defaultValue = "../shared/data/amazon-beauty", description = "Data set folder (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--out", defaultValue = "out", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seeds", defaultValue = "1", description = "Ranking seeds per tokenizer (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--quick", description = "A subset of the users (every " + QUICK_EVERY + "th) and small budgets: a try-out in under 3 minutes.")
    boolean quick;

    @Option(names = "--ranking-epochs", description = "Largest number of ranking-model epochs (default: " + RANKING_EPOCHS + ", quick: 2).")
    Integer rankingEpochs;

    @Option(names = "--retrieval-epochs", description = "Largest number of generative-retriever (TIGER) epochs on the RQ-VAE and QuaSID SIDs; 0 skips"
            + " it (default: " + RETRIEVAL_EPOCHS + ", quick: 1).")
    Integer retrievalEpochs;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--set", description = "Override a setting of every stage that has it, e.g. rqvae.epochs=50, quasid.m_full=0.7, sasrec.dim=32 or"
            + " tiger.beam=30 (repeatable; the epochs options take precedence for sasrec.max_epochs and tiger.max_epochs).")
    Map<String, String> settings = new LinkedHashMap<>();

    /** The scopes of {@code --set} that configure the models evaluated on the SIDs rather than the tokenizers. */
    private static final List<String> MODEL_SCOPES = List.of("sasrec.", "tiger.", "mahout.");

    private final List<RunResults.Stage> stages = new ArrayList<>();

    /** A stage's work. */
    private interface Work<T> {
        T run() throws Exception;
    }

    /** A stage that failed: its name and why. */
    static final class StageFailed extends RuntimeException {
        StageFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        Settings.inRange("seeds", seeds, 1, 100);
        int epochs = rankingEpochs != null ? rankingEpochs : quick ? 2 : RANKING_EPOCHS;
        int retrieval = retrievalEpochs != null ? retrievalEpochs : quick ? 1 : RETRIEVAL_EPOCHS;
        Settings.inRange("retrieval epochs", retrieval, 0, 10_000);
        PluginRegistry plugins = PluginRegistry.load(getClass().getClassLoader(), settings);
        ConfigOverrides configs = ConfigOverrides.parse(settings, plugins); // a bad setting fails before anything is read or written
        SasRecConfig ranker = configs.get(SasRecConfig.class).toBuilder().maxEpochs(epochs).build();
        TigerConfig retriever = retrieval > 0 ? configs.get(TigerConfig.class).toBuilder().maxEpochs(retrieval).build() : null;
        TasteConfig host = configs.get(TasteConfig.class);
        Device on = Devices.resolve(device);
        Dataset full = new DatasetReader(UnknownItems.FAIL).read(data); // a bad data set fails before anything is written
        Files.createDirectories(out);
        Path dataset = quick ? stage("subset", () -> subset(full, out.resolve("quick-data"), QUICK_EVERY)) : data;
        Dataset loaded = quick ? new DatasetReader(UnknownItems.FAIL).read(dataset) : full;
        LeaveOneOutSplit split = new LeaveOneOutSplit(loaded); // every stage evaluates on this one split

        Embeddings embeddings = stage("embed", () -> embed(loaded, out.resolve("embeddings/items.npy")));
        String inputsHash = fingerprint(dataset) + "\n" + Hashes.of(embeddings);
        Map<String, RunResults.TokenizerResults> tokenizers = new LinkedHashMap<>();
        Map<String, SidTable> sids = new LinkedHashMap<>();
        for (Map.Entry<String, Tokenizing> t : TOKENIZERS.entrySet()) {
            Tokenization.Request request = request(t.getValue(), plugins, loaded.catalogue().size(), on);
            Path dir = out.resolve("tokenizers").resolve(t.getKey());
            String key = sha256(inputsHash + "\n" + request.tokenizer() + "\n" + request.plugins() + "\n" + request.seed() + "\n"
                    + new TreeMap<>(request.settings()) + "\n" + on);
            Path keyFile = dir.resolve(Tokenization.RUN_KEY);
            boolean cached = Files.isRegularFile(keyFile) && Files.readString(keyFile).trim().equals(key) && Files.isRegularFile(dir.resolve("sids.csv"));
            Tokenization.Tokenized made = stage("tokenize " + t.getKey(), () -> {
                if (cached) {
                    return Tokenization.read(dir);
                }
                Files.deleteIfExists(keyFile);
                Tokenization.Tokenized trained = Tokenization.train(loaded, embeddings, request, dir);
                AtomicFiles.writeString(keyFile, key + "\n");
                return trained;
            }, cached ? "cached: same data, embeddings and settings" : "");
            sids.put(t.getKey(), made.sids());
            tokenizers.put(t.getKey(), new RunResults.TokenizerResults(request.tokenizer(), request.plugins(), request.seed(), request.settings(), cached,
                    made.stats(), made.training(), made.metadata(), Tokenization.codeUsage(made.sids()), null, null));
        }
        for (String t : TOKENIZERS.keySet()) {
            boolean arm = AB_ARMS.contains(t);
            // the removed-items twin doubles the cost: the A/B arms only
            Evaluator.Options options = new Evaluator.Options(seeds, arm ? Evaluator.REMOVED_SHARE : 0, HistoryRule.KEEP,
                    arm ? out.resolve("models").resolve(t) : null, null, on);
            Evaluation ranking = stage("ranking " + t, () -> Evaluator.sasrec(split, sids.get(t), ranker, options));
            tokenizers.computeIfPresent(t, (k, v) -> v.withRanking(ranking.withSids(sidsFile(t))));
        }
        for (String t : retriever != null ? AB_ARMS : List.<String>of()) {
            Evaluator.Options options = new Evaluator.Options(1, 0, HistoryRule.KEEP, null, null, on);
            Evaluation tiger = stage("retrieval " + t, () -> Evaluator.tiger(split, sids.get(t), retriever, options));
            tokenizers.computeIfPresent(t, (k, v) -> v.withRetrieval(tiger.withSids(sidsFile(t))));
        }
        Map<String, Evaluation> mahout = new LinkedHashMap<>();
        for (String t : AB_ARMS) {
            boolean first = mahout.isEmpty();
            Evaluation m = stage("mahout " + t, () -> Evaluator.mahout(split, sids.get(t), host, first, Evaluator.REMOVED_SHARE))
                    .withSids(sidsFile(t));
            if (first) {
                mahout.put("plain Taste", m.plainTaste());
            }
            mahout.put("Taste + " + t + " SIDs", m.withoutPlainTaste());
        }
        RunResults.AbResults ab = stage("a/b test", () -> abTest(dataset, split));
        RunResults results = new RunResults(RunResults.SCHEMA_VERSION, dataset.toAbsolutePath().normalize().toString(), loaded.name(), loaded.userCount(),
                loaded.catalogue().size(), quick, seeds, tokenizers, mahout, ab, java.time.Instant.now().toString(), (System.nanoTime() - start) / 1e9,
                List.copyOf(stages));
        AtomicFiles.writeString(out.resolve("results.json"), Json.toString(results) + "\n");
        AtomicFiles.writeString(out.resolve("report.html"), ReportPage.html(results));
        spec.commandLine().getOut().println("wrote " + out.resolve("results.json") + " and " + out.resolve("report.html") + " in "
                + String.format(java.util.Locale.ROOT, "%.0f s", results.seconds()));
        return 0;
    }

    /**
     * What the main job trains for {@code t}: seed 1, with {@code --quick} few epochs, on a catalogue smaller than the
     * tokenizer's {@code batch_rows} every item in each batch (pair steps in the configured proportion), then the
     * tokenizers' {@code --set} settings. The tokenizer's settings are read from the plugin that owns them.
     */
    private Tokenization.Request request(Tokenizing t, PluginRegistry plugins, int catalogue, Device on) {
        Map<String, String> chosen = new LinkedHashMap<>();
        String scope = t.tokenizer();
        Map<String, Object> own = plugins.owner(scope).map(LoadedPlugin::settings).orElse(Map.of());
        if (quick && own.containsKey(scope + ".epochs")) {
            chosen.put(scope + ".epochs", String.valueOf(QUICK_TOKENIZER_EPOCHS));
        }
        if (own.get(scope + ".batch_rows") instanceof Integer batch && own.get(scope + ".item_rows") instanceof Integer items && catalogue < batch) {
            int itemRows = (int) ((long) catalogue * items / batch);
            itemRows -= (catalogue - itemRows) % 2;
            chosen.put(scope + ".batch_rows", String.valueOf(catalogue));
            chosen.put(scope + ".item_rows", String.valueOf(itemRows));
        }
        settings.forEach((key, value) -> {
            if (MODEL_SCOPES.stream().noneMatch(key::startsWith)) {
                chosen.put(key, value);
            }
        });
        return new Tokenization.Request(t.tokenizer(), t.plugins(), null, 1, chosen, false, on);
    }

    private String sidsFile(String tokenizer) {
        return out.resolve("tokenizers").resolve(tokenizer).resolve("sids.csv").toString();
    }

    /** The catalogue's text embeddings (cached across runs), also written to {@code npy} with the item ids beside it. */
    private static Embeddings embed(Dataset d, Path npy) {
        Embeddings e = ItemEmbeddings.of(d.catalogue(), null, EmbeddingCache.defaultDir(), Runtime.getRuntime().availableProcessors());
        ItemEmbeddings.write(npy, d.catalogue().ids(), e);
        return e;
    }

    private <T> T stage(String name, Work<T> work) {
        return stage(name, work, "");
    }

    private <T> T stage(String name, Work<T> work, String note) {
        PrintWriter log = spec.commandLine().getErr();
        log.println("[" + (stages.size() + 1) + "] " + name + (note.isEmpty() ? "" : " (" + note + ")"));
        log.flush();
        long start = System.nanoTime();
        try {
            T value = work.run();
            stages.add(new RunResults.Stage(name, (System.nanoTime() - start) / 1e9, note));
            return value;
        } catch (Exception e) {
            throw new StageFailed("stage '" + name + "' failed: " + e.getMessage() + " (earlier stages' files are in " + out + ")", e);
        }
    }

    /** Serves control = RQ-VAE SIDs and treatment = QuaSID SIDs, replays the held-out users, returns the report and replay summary. */
    private RunResults.AbResults abTest(Path dataset, LeaveOneOutSplit split) throws Exception {
        Path dir = out.resolve("ab");
        AtomicFiles.deleteTree(dir.resolve("events")); // a fresh experiment every run
        Files.createDirectories(dir);
        Map<String, Object> experiment = new LinkedHashMap<>();
        experiment.put("id", "quasid-vs-rqvae");
        experiment.put("data", dataset.toAbsolutePath().toString());
        experiment.put("salt", "run");
        experiment.put("split", 0.5);
        // the rule the ranking stage measured with (evaluate's default), so the served lists are the measured ones
        String history = HistoryRule.KEEP.key();
        experiment.put("control", Map.of("model", out.resolve("models/rqvae").toAbsolutePath().toString(), "history", history));
        experiment.put("treatment", Map.of("model", out.resolve("models/quasid").toAbsolutePath().toString(), "history", history));
        Path file = dir.resolve("experiments.json");
        AtomicFiles.writeString(file, Json.toString(List.of(experiment)));
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("micronaut.server.port", -1);
        properties.put("micronaut.server.host", "127.0.0.1");
        properties.put("quasid.experiments", file.toAbsolutePath().toString());
        properties.put("quasid.db.url", "jdbc:h2:file:" + dir.resolve("events/events").toAbsolutePath() + ";WRITE_DELAY=0");
        try (ApplicationContext service = Application.start(properties)) {
            URI url = URI.create(service.getBean(EmbeddedServer.class).getURL().toString());
            Map<String, Object> replay = new ReplayDriver(new ReplayDriver.Config(url, "quasid-vs-rqvae", 10, REPLAY_CONCURRENCY, 1, 0.5, 0, "")).run(split);
            HttpResponse<String> report = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.resolve("/v1/experiments/quasid-vs-rqvae/report")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (report.statusCode() != 200) {
                throw new IllegalStateException("the report answered " + report.statusCode() + ": " + report.body());
            }
            return new RunResults.AbResults(AB_ARMS.get(0), AB_ARMS.get(1), history, replay, Json.MAPPER.readTree(report.body()));
        }
    }

    /** SHA-256 over the names and bytes of the data set's files. */
    private static String fingerprint(Path dir) throws IOException {
        MessageDigest digest = Hashes.sha256();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                digest.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                digest.update(Files.readAllBytes(f));
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(String text) {
        return HexFormat.of().formatHex(Hashes.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Writes every {@code every}-th user of {@code d} (with their items, oldest first) and the items
     * they touch as a CSV data set in {@code target}; returns {@code target}.
     */
    static Path subset(Dataset d, Path target, int every) {
        boolean[] used = new boolean[d.catalogue().size()];
        StringBuilder interactions = new StringBuilder("user,item\n");
        for (int u = 0; u < d.userCount(); u += every) {
            for (int i : d.sequence(u)) {
                used[i] = true;
                interactions.append(csv(d.user(u))).append(',').append(csv(d.catalogue().item(i).id())).append('\n');
            }
        }
        StringBuilder items = new StringBuilder("item,title,brand,categories,price\n");
        for (int i = 0; i < used.length; i++) {
            if (used[i]) {
                Item it = d.catalogue().item(i);
                items.append(csv(it.id())).append(',').append(csv(it.title())).append(',').append(csv(it.brand())).append(',')
                        .append(csv(String.join("|", it.categories()))).append(',').append(it.hasPrice() ? String.valueOf(it.price()) : "").append('\n');
            }
        }
        AtomicFiles.writeDirectory(target, dir -> {
            Files.writeString(dir.resolve(DatasetReader.CSV_INTERACTIONS), interactions);
            Files.writeString(dir.resolve(DatasetReader.CSV_ITEMS), items);
        });
        return target;
    }

    private static String csv(String field) {
        return field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")
                ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
    }
}
