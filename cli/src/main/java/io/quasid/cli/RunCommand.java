package io.quasid.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.quasid.ab.Application;
import io.quasid.ab.ReplayDriver;
import io.quasid.cli.report.ReportPage;
import io.quasid.core.data.Dataset;
import io.quasid.core.data.DatasetReader;
import io.quasid.core.data.Item;
import io.quasid.core.data.UnknownItems;
import io.quasid.core.io.AtomicFiles;
import io.quasid.core.io.Hashes;
import io.quasid.core.io.Json;
import io.quasid.core.sid.SidCsv;
import io.quasid.core.sid.SidTable;
import io.quasid.ranking.HistoryRule;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quasid run}: the whole mission on one data set. Embeds the items (cached), trains every
 * tokenizer (reusing one whose inputs and settings are unchanged), measures its SIDs, trains and
 * evaluates the ranking model on each SID table, the generative retriever on the RQ-VAE and QuaSID SIDs,
 * runs the Mahout host with and without the SID adapters,
 * serves an A/B test (control: RQ-VAE SIDs, treatment: QuaSID SIDs) and replays the held-out users
 * through it, then writes {@code results.json} and {@code report.html}. A failed stage stops the run
 * and leaves what earlier stages wrote.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the whole pipeline (embed, tokenize, SID metrics, ranking, generative retrieval, Mahout, A/B replay) and write results.json and report.html.")
final class RunCommand implements Callable<Integer> {
    /** The tokenizers compared, by name: the tokenize arguments that make each. */
    static final Map<String, List<String>> TOKENIZERS = tokenizers();

    private static Map<String, List<String>> tokenizers() {
        Map<String, List<String>> t = new LinkedHashMap<>();
        t.put("rqvae", List.of("--tokenizer", "rqvae"));
        t.put("quasid", List.of("--tokenizer", "rqvae", "--plugins", "quasid"));
        t.put("adasid", List.of("--tokenizer", "rqvae", "--plugins", "adasid"));
        t.put("rqkmeans", List.of("--tokenizer", "rqkmeans"));
        return t;
    }

    /** The SID tables of the A/B test's control and treatment arms; they also get the Mahout host and the removed-items block. */
    static final List<String> AB_ARMS = List.of("rqvae", "quasid");

    /**
     * Ranking-model epochs per SID table in the main job: with SID prefix tables the model has 89% of its
     * 10-epoch validation NDCG@10 after 3 (RQ-VAE SIDs of Beauty), and the whole run stays within 20 minutes.
     */
    static final int RANKING_EPOCHS = 3;

    /**
     * Generative-retriever epochs per SID table in the main job (the SID tables of {@link #AB_ARMS}); the
     * comparison over every tokenizer and seed is {@code quasid evaluate --model tiger}, run on its own.
     */
    static final int RETRIEVAL_EPOCHS = 2;

    /** {@code --quick} keeps every this-many-th user. */
    static final int QUICK_EVERY = 20;

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

    private final List<Map<String, Object>> stages = new ArrayList<>();
    private final Map<String, Object> results = new LinkedHashMap<>();

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
        io.quasid.spi.Settings.inRange("seeds", seeds, 1, 100);
        Dataset full = new DatasetReader(UnknownItems.FAIL).read(data); // a bad data set fails before anything is written
        Files.createDirectories(out);
        PrintWriter log = spec.commandLine().getErr();
        Path dataset = quick ? stage("subset", () -> subset(full, out.resolve("quick-data"), QUICK_EVERY)) : data;
        Dataset loaded = quick ? new DatasetReader(UnknownItems.FAIL).read(dataset) : full;
        results.put("data", dataset.toAbsolutePath().normalize().toString());
        results.put("data_name", loaded.name());
        results.put("users", loaded.userCount());
        results.put("items", loaded.catalogue().size());
        results.put("quick", quick);
        results.put("seeds", seeds);
        int epochs = rankingEpochs != null ? rankingEpochs : quick ? 2 : RANKING_EPOCHS;
        Path embeddings = out.resolve("embeddings/items.npy");
        stage("embed", () -> command("embed", "--data", dataset.toString(), "--out", embeddings.toString()));
        String inputsHash = fingerprint(dataset) + "\n" + Hashes.of(io.quasid.core.io.Npy.read(embeddings));
        Map<String, Object> tokenizers = new LinkedHashMap<>();
        results.put("tokenizers", tokenizers);
        for (Map.Entry<String, List<String>> t : TOKENIZERS.entrySet()) {
            Map<String, Object> block = new LinkedHashMap<>();
            tokenizers.put(t.getKey(), block);
            Path dir = out.resolve("tokenizers").resolve(t.getKey());
            List<String> args = new ArrayList<>(List.of("tokenize", "--data", dataset.toString(), "--embeddings", embeddings.toString(), "--seed", "1",
                    "--out", dir.toString(), "--device", device));
            args.addAll(t.getValue());
            if (!t.getKey().equals("rqkmeans")) {
                if (quick) {
                    args.addAll(List.of("--epochs", "15"));
                }
                io.quasid.rqvae.RqVaeConfig defaults = io.quasid.rqvae.RqVaeConfig.DEFAULTS;
                int rows = loaded.catalogue().size();
                if (rows < defaults.batchRows()) { // a small catalogue: every item in each batch, pair steps in the default proportions
                    int itemRows = (int) ((long) rows * defaults.itemRows() / defaults.batchRows());
                    itemRows -= (rows - itemRows) % 2;
                    args.addAll(List.of("--set", "rqvae.batch_rows=" + rows, "--set", "rqvae.item_rows=" + itemRows));
                }
            }
            String key = sha256(inputsHash + "\n" + String.join("\u0000", args.subList(5, args.size())));
            Path keyFile = dir.resolve("run-key.txt");
            boolean cached = Files.isRegularFile(keyFile) && Files.readString(keyFile).trim().equals(key) && Files.isRegularFile(dir.resolve("sids.csv"));
            stage("tokenize " + t.getKey(), () -> {
                if (!cached) {
                    Files.deleteIfExists(keyFile);
                    command(args.toArray(String[]::new));
                    AtomicFiles.writeString(keyFile, key + "\n");
                }
                return null;
            }, cached ? "cached: same data, embeddings and settings" : "");
            block.put("cached", cached);
            block.put("arguments", args.subList(5, args.size()));
            block.put("sid_metrics", Json.read(dir.resolve("stats.json")));
            block.put("training", Json.read(dir.resolve("training.json")));
            block.put("model", Json.read(SidCsv.metadataFile(dir.resolve("sids.csv"))));
            block.put("code_usage", codeUsage(dir.resolve("sids.csv")));
        }
        for (String t : TOKENIZERS.keySet()) {
            Path sids = out.resolve("tokenizers").resolve(t).resolve("sids.csv");
            List<String> args = new ArrayList<>(List.of("evaluate", "--data", dataset.toString(), "--sids", sids.toString(), "--seeds",
                    String.valueOf(seeds), "--epochs", String.valueOf(epochs), "--device", device));
            if (AB_ARMS.contains(t)) {
                args.addAll(List.of("--save-model", out.resolve("models").resolve(t).toString()));
            } else {
                args.addAll(List.of("--removed-share", "0")); // the removed-items model doubles the cost: the A/B arms only
            }
            JsonNode ranking = stage("ranking " + t, () -> Json.MAPPER.readTree(command(args.toArray(String[]::new))));
            ((Map<String, Object>) tokenizers.get(t)).put("ranking", ranking);
        }
        int retrieval = retrievalEpochs != null ? retrievalEpochs : quick ? 1 : RETRIEVAL_EPOCHS;
        io.quasid.spi.Settings.inRange("retrieval epochs", retrieval, 0, 10_000);
        for (String t : retrieval > 0 ? AB_ARMS : List.<String>of()) {
            Path sids = out.resolve("tokenizers").resolve(t).resolve("sids.csv");
            JsonNode tiger = stage("retrieval " + t, () -> Json.MAPPER.readTree(command("evaluate", "--model", "tiger", "--data", dataset.toString(),
                    "--sids", sids.toString(), "--seeds", "1", "--epochs", String.valueOf(retrieval), "--removed-share", "0", "--device", device)));
            ((Map<String, Object>) tokenizers.get(t)).put("retrieval", tiger);
        }
        Map<String, Object> mahout = new LinkedHashMap<>();
        results.put("mahout", mahout);
        for (String t : AB_ARMS) {
            Path sids = out.resolve("tokenizers").resolve(t).resolve("sids.csv");
            boolean first = mahout.isEmpty();
            JsonNode m = stage("mahout " + t, () -> Json.MAPPER.readTree(command("evaluate", "--model", "mahout", "--data", dataset.toString(),
                    "--sids", sids.toString(), first ? "--plain-taste" : "--no-plain-taste")));
            if (first) {
                mahout.put("plain Taste", m.get("plain_taste"));
            }
            ObjectNode withSids = m.deepCopy();
            withSids.remove("plain_taste");
            mahout.put("Taste + " + t + " SIDs", withSids);
        }
        results.put("ab", stage("a/b test", () -> abTest(dataset, loaded)));
        results.put("finished_at", java.time.Instant.now().toString());
        results.put("seconds", (System.nanoTime() - start) / 1e9);
        results.put("stages", stages);
        write();
        spec.commandLine().getOut().println("wrote " + out.resolve("results.json") + " and " + out.resolve("report.html") + " in "
                + String.format(java.util.Locale.ROOT, "%.0f s", (System.nanoTime() - start) / 1e9));
        log.flush();
        return 0;
    }

    private void write() {
        JsonNode tree = Json.MAPPER.valueToTree(results);
        AtomicFiles.writeString(out.resolve("results.json"), Json.toString(tree) + "\n");
        AtomicFiles.writeString(out.resolve("report.html"), ReportPage.html(tree));
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
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", name);
            s.put("seconds", (System.nanoTime() - start) / 1e9);
            s.put("note", note);
            stages.add(s);
            return value;
        } catch (Exception e) {
            throw new StageFailed("stage '" + name + "' failed: " + e.getMessage() + " (earlier stages' files are in " + out + ")", e);
        }
    }

    /** Runs a quasid subcommand in this JVM; returns what it printed; fails with its message on a non-zero exit. */
    private String command(String... args) {
        StringWriter printed = new StringWriter();
        StringWriter errors = new StringWriter();
        PrintWriter err = spec.commandLine().getErr();
        int code = Main.run(new PrintWriter(printed, true), new PrintWriter(new TeeWriter(errors, err), true), args);
        if (code != 0) {
            throw new IllegalStateException("quasid " + String.join(" ", args) + " exited with " + code + ": " + errors.toString().trim());
        }
        return printed.toString();
    }

    /** Copies what a subcommand reports to the run's own error stream too. */
    private static final class TeeWriter extends java.io.Writer {
        private final java.io.Writer a;
        private final java.io.Writer b;

        TeeWriter(java.io.Writer a, java.io.Writer b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(char[] c, int off, int len) throws IOException {
            a.write(c, off, len);
            b.write(c, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** Serves control = RQ-VAE SIDs and treatment = QuaSID SIDs, replays the held-out users, returns the report and replay summary. */
    private Map<String, Object> abTest(Path dataset, Dataset loaded) throws Exception {
        Path dir = out.resolve("ab");
        deleteTree(dir.resolve("events")); // a fresh experiment every run
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
            Map<String, Object> replay = new ReplayDriver(new ReplayDriver.Config(url, "quasid-vs-rqvae", 10, REPLAY_CONCURRENCY, 1, 0.5, 0, "")).run(loaded);
            HttpResponse<String> report = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.resolve("/v1/experiments/quasid-vs-rqvae/report")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (report.statusCode() != 200) {
                throw new IllegalStateException("the report answered " + report.statusCode() + ": " + report.body());
            }
            Map<String, Object> ab = new LinkedHashMap<>();
            ab.put("control", "rqvae");
            ab.put("treatment", "quasid");
            ab.put("history", history);
            ab.put("replay", replay);
            ab.put("report", Json.MAPPER.readTree(report.body()));
            return ab;
        }
    }

    /** Per level, the number of items on each code, most used first (unused codes as zeros). */
    private static List<int[]> codeUsage(Path sidsCsv) {
        SidTable table = SidCsv.read(sidsCsv);
        int k = SidCsv.codebookSize(sidsCsv, table);
        List<int[]> levels = new ArrayList<>();
        for (int l = 0; l < table.levels(); l++) {
            int[] counts = new int[k];
            for (int i = 0; i < table.size(); i++) {
                counts[table.sid(i).code(l)]++;
            }
            int[] sorted = Arrays.stream(counts).boxed().sorted((a, b) -> b - a).mapToInt(Integer::intValue).toArray();
            levels.add(sorted);
        }
        return levels;
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

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
