package io.quasid.spark;

import io.quasid.core.io.AtomicFiles;
import io.quasid.core.io.InputFileException;
import io.quasid.core.io.ItemList;
import io.quasid.core.io.Json;
import io.quasid.core.pairs.SwingConfig;
import io.quasid.core.plugin.SavedTokenizer;
import io.quasid.core.sid.SidCsv;
import io.quasid.core.sid.StableAssignment;
import io.quasid.spi.CodebookShape;
import io.quasid.spi.ConfigScope;
import io.quasid.spi.Tokenizer;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quasid spark swing|assign}: the batch jobs that grow with the catalogue, in local mode by default
 * ({@code --master local[*]}) or on a cluster through {@code spark-submit} (which sets the master). Outputs
 * go to a folder on the driver's file system, written so that a reader sees all of them or none.
 */
@Command(name = "quasid spark", mixinStandardHelpOptions = true, subcommands = {SparkMain.Swing.class, SparkMain.Assign.class, SparkMain.Generate.class},
        description = "Swing pairs and SID assignment on Apache Spark.")
public final class SparkMain implements Callable<Integer> {
    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 2;
    }

    public static void main(String[] args) {
        io.quasid.core.NativeMemory.tune();
        System.exit(run(args));
    }

    /** Runs the command line; exit 2 with the message on bad input. */
    static int run(String... args) {
        return new CommandLine(new SparkMain()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            // a task's failure reaches the driver wrapped in Spark's exceptions
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof IllegalArgumentException || t instanceof InputFileException) {
                    cmd.getErr().println("quasid spark: " + t.getMessage());
                    return 2;
                }
            }
            throw e;
        }).execute(args);
    }

    /** The session of a job: the master given, else the one spark-submit set, else local mode on every core. */
    static SparkSession session(String name, String master) {
        SparkSession.Builder builder = SparkSession.builder().appName("quasid " + name);
        org.apache.spark.SparkConf submitted = new org.apache.spark.SparkConf(); // what spark-submit or -Dspark.* set
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        defaults.put("spark.kryo.registrator", KryoRegistrations.class.getName());
        defaults.put("spark.kryo.referenceTracking", "false"); // no row refers to another: each would pay for an identity map
        defaults.forEach((key, value) -> {
            if (!submitted.contains(key)) {
                builder.config(key, value);
            }
        });
        if (master != null) {
            builder.master(master);
        } else if (!submitted.contains("spark.master")) {
            builder.master("local[*]");
        }
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel(System.getProperty("quasid.spark.log", "WARN"));
        return spark;
    }

    @Command(name = "swing", mixinStandardHelpOptions = true,
            description = "Each item's top-k Swing neighbours (METHOD.md §2) from the training part of an interactions table; writes"
                    + " --out/pairs.csv and --out/pairs.parquet.")
    static final class Swing implements Callable<Integer> {
        @Option(names = "--interactions", required = true, description = "CSV (header user,item[,timestamp]) or Parquet (.parquet).")
        String interactions;

        @Option(names = "--out", required = true, description = "Output folder: new, or one an earlier run wrote (replaced at once).")
        Path out;

        @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[*]).")
        String master;

        @Option(names = "--set", description = "swing.KEY=VALUE: alpha, alpha1, beta_s, top_k (METHOD.md §2).")
        List<String> set = new ArrayList<>();

        @Option(names = "--user-cap", defaultValue = "0",
                description = "Keep at most this many users of each item, by a seeded hash (0, the default: all, as core's Swing).")
        int userCap;

        @Option(names = "--item-cap", defaultValue = "0",
                description = "Keep at most this many training items of each user, by a seeded hash (0, the default: all, as core's Swing).")
        int itemCap;

        @Option(names = "--seed", defaultValue = "1", description = "Seed of the caps' hash (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--blocks", defaultValue = "0",
                description = "Blocks of trigger items, one task each (default 0: four per core of the default parallelism); each user's"
                        + " kept items travel to every block that holds one of them.")
        int blocks;

        @Override
        public Integer call() {
            SwingConfig config = settings(ConfigScope.of("swing", SwingConfig.class, SwingConfig.DEFAULTS), set);
            io.quasid.spi.Settings.inRange("--user-cap", userCap, 0, Integer.MAX_VALUE);
            io.quasid.spi.Settings.inRange("--item-cap", itemCap, 0, Integer.MAX_VALUE);
            io.quasid.spi.Settings.inRange("--blocks", blocks, 0, 1 << 20);
            AtomicFiles.requireReplaceable(out, Set.of("pairs.csv", "pairs.parquet", "swing.json"), "a Swing run's outputs");
            long start = System.nanoTime();
            SparkSession spark = session("swing", master);
            Dataset<Row> input = Interactions.read(spark, interactions);
            SparkSwing.Result result = SparkSwing.pairs(spark, input, config, new SparkSwing.Caps(userCap, itemCap, seed), blocks);
            Dataset<Row> pairs = result.pairs().cache();
            long count = pairs.count();
            Map<String, Object> about = new LinkedHashMap<>();
            about.put("interactions", interactions);
            about.put("swing", config);
            about.put("user_cap", userCap);
            about.put("item_cap", itemCap);
            about.put("seed", seed);
            about.put("blocks", blocks);
            about.put("pairs", count);
            about.put("kept_entries", result.keptEntries().value()); // (user, item) entries of users with two or more kept items
            about.put("shipped_entries", result.shippedEntries().value()); // those entries once per block they travelled to
            about.put("squared_entries", result.squaredEntries().value()); // the most any number of blocks ships: sum of kept items squared
            AtomicFiles.writeDirectory(out, tmp -> {
                pairs.write().mode(SaveMode.ErrorIfExists).parquet(tmp.resolve("pairs.parquet").toString());
                try (BufferedWriter w = Files.newBufferedWriter(tmp.resolve("pairs.csv"))) {
                    w.write("trigger,target,score\n");
                    for (java.util.Iterator<Row> rows = pairs.toLocalIterator(); rows.hasNext(); ) {
                        Row r = rows.next();
                        w.write(r.getString(0) + "," + r.getString(1) + "," + r.getDouble(2) + "\n");
                    }
                }
                about.put("seconds", (System.nanoTime() - start) / 1e9);
                Json.write(tmp.resolve("swing.json"), about);
            });
            System.out.println(Json.toString(about));
            return 0;
        }
    }

    @Command(name = "assign", mixinStandardHelpOptions = true,
            description = "SIDs for the items of an embeddings table with a saved tokenizer, as quasid assign makes them (the items of"
                    + " --published keep theirs); writes --out/sids.csv (with sids.meta.json) and --out/sids.parquet.")
    static final class Assign implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "A tokenizer's folder, as tokenize wrote it (its model/ and sids.meta.json).")
        Path model;

        @Option(names = "--embeddings", required = true, description = "Parquet (item, vector: an array of floats) or .npy (with --items).")
        String embeddings;

        @Option(names = "--items", description = "For .npy: the item id of each row, one a line (default: <embeddings>.items.txt).")
        Path items;

        @Option(names = "--published", description = "The published SID table (CSV with d) whose items keep their SIDs.")
        Path published;

        @Option(names = "--out", required = true, description = "Output folder: new, or one an earlier assign wrote (replaced at once).")
        Path out;

        @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[*]).")
        String master;

        @Option(names = "--batch", defaultValue = "4096", description = "Rows a tokenizer assigns at a time (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--partitions", defaultValue = "0", description = "Partitions of a .npy input (default 0: Spark's default parallelism).")
        int partitions;

        @Override
        public Integer call() {
            io.quasid.spi.Settings.inRange("--batch", batch, 1, 1 << 20);
            AtomicFiles.requireReplaceable(out, Set.of("sids.csv", "sids.meta.json", "sids.parquet"), "an assignment's outputs");
            String name = SavedTokenizer.name(model);
            String folder = model.toAbsolutePath().toString();
            SparkSession spark = session("assign", master);
            // the engine's start with the tokenizer's load, and Spark SQL's first plan (the Parquet output's), each take
            // seconds of one thread: both begin now, beside the driver's reading of the published table and the input
            CompletableFuture<Tokenizer> loaded = CompletableFuture.supplyAsync(() -> SparkAssign.tokenizer(folder));
            CompletableFuture<Long> planned = CompletableFuture.supplyAsync(() -> spark.createDataFrame(List.<Row>of(), SparkAssign.SIDS).count());
            SparkAssign.Published before = published == null ? null : SparkAssign.published(spark, published.toString()); // a bad table fails before any work
            SparkAssign.Input read;
            if (embeddings.endsWith(".npy")) {
                Path npy = Path.of(embeddings);
                read = SparkAssign.npy(spark, npy, items != null ? items : ItemList.itemsFile(npy),
                        partitions > 0 ? partitions : spark.sparkContext().defaultParallelism(), batch);
            } else {
                read = SparkAssign.parquet(spark, embeddings, batch);
            }
            CodebookShape shape = joined(loaded).shape();
            if (before != null) {
                StableAssignment.requireShape(before.shape(), shape); // before any work
            }
            long start = System.nanoTime();
            SparkAssign.Extended result = SparkAssign.extend(before, SparkAssign.codes(read, folder, embeddings),
                    read.byItem(), shape, embeddings);
            long assigned = System.nanoTime();
            Map<String, Object> written = StableAssignment.metadata(name, shape, result.summary(), model, published, null);
            joined(planned);
            AtomicFiles.writeDirectory(out, tmp -> {
                result.table(spark).write().mode(SaveMode.ErrorIfExists).parquet(tmp.resolve("sids.parquet").toString());
                SparkAssign.writeCsv(result, shape.levels(), tmp.resolve("sids.csv"), tmp.resolve("sids.csv.parts"));
                Json.write(SidCsv.metadataFile(tmp.resolve("sids.csv")), written);
            });
            System.err.printf(java.util.Locale.ROOT, "quasid spark assign: %.1f s reading, assigning, sorting by item and numbering (d), %.1f s"
                    + " writing%n", (assigned - start) / 1e9, (System.nanoTime() - assigned) / 1e9);
            Map<String, Object> printed = new LinkedHashMap<>(result.summary().json());
            printed.put("sids_file", out.resolve("sids.csv").toString());
            System.out.println(Json.toString(printed));
            return 0;
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "A seeded synthetic power-law data set for scale runs (Synthetic): --out/interactions.parquet and, with"
                    + " --embeddings, --out/embeddings.parquet (or, with --embeddings-format npy, --out/embeddings.npy and its"
                    + " embeddings.items.txt).")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--users", defaultValue = "1000000", description = "Users (default: ${DEFAULT-VALUE}).")
        long users;

        @Option(names = "--items", defaultValue = "200000", description = "Items of the interactions (default: ${DEFAULT-VALUE}).")
        int items;

        @Option(names = "--interactions", defaultValue = "10000000", description = "About this many interactions (default: ${DEFAULT-VALUE}).")
        long interactions;

        @Option(names = "--zipf", defaultValue = "0.9", description = "Exponent of item popularity by rank (default: ${DEFAULT-VALUE}).")
        double zipf;

        @Option(names = "--embeddings", defaultValue = "0", description = "Items with an embedding, i0, i1, ... (default 0: none).")
        long embeddings;

        @Option(names = "--dimension", defaultValue = "384", description = "Embedding dimension (default: ${DEFAULT-VALUE}).")
        int dimension;

        @Option(names = "--embeddings-format", defaultValue = "parquet", description = "parquet or npy (the same vectors; the .npy's"
                + " rows in a seeded random order of the items; written by the driver) (default: ${DEFAULT-VALUE}).")
        String embeddingsFormat;

        @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--partitions", defaultValue = "16", description = "Partitions written (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(names = "--out", required = true, description = "Output folder: new, or one an earlier generate wrote.")
        Path out;

        @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[*]).")
        String master;

        @Override
        public Integer call() {
            io.quasid.spi.Settings.inRange("--users", users, 1, Long.MAX_VALUE);
            io.quasid.spi.Settings.inRange("--items", items, 1, Integer.MAX_VALUE);
            io.quasid.spi.Settings.inRange("--interactions", interactions, 2 * users, Long.MAX_VALUE);
            io.quasid.spi.Settings.inRange("--zipf", zipf, 0, 10);
            io.quasid.spi.Settings.inRange("--dimension", dimension, 1, 1 << 16);
            io.quasid.spi.Settings.oneOf("--embeddings-format", embeddingsFormat, List.of("parquet", "npy"));
            AtomicFiles.requireReplaceable(out, Set.of("interactions.parquet", "embeddings.parquet", "embeddings.npy", "embeddings.items.txt",
                    "generate.json"), "a generated data set");
            long start = System.nanoTime();
            SparkSession spark = session("generate", master);
            Map<String, Object> about = new LinkedHashMap<>();
            AtomicFiles.writeDirectory(out, tmp -> {
                Synthetic.interactions(spark, users, items, interactions, zipf, seed, partitions).write().parquet(tmp.resolve("interactions.parquet").toString());
                about.put("users", users);
                about.put("items", items);
                about.put("zipf", zipf);
                about.put("interactions", spark.read().parquet(tmp.resolve("interactions.parquet").toString()).count());
                if (embeddings > 0) {
                    if (embeddingsFormat.equals("npy")) {
                        Path npy = tmp.resolve("embeddings.npy");
                        Synthetic.embeddingsNpy(npy, ItemList.itemsFile(npy), embeddings, dimension, seed);
                    } else {
                        Synthetic.embeddings(spark, embeddings, dimension, seed, partitions).write().parquet(tmp.resolve("embeddings.parquet").toString());
                    }
                    about.put("embeddings", embeddings);
                    about.put("embeddings_format", embeddingsFormat);
                    about.put("dimension", dimension);
                }
                about.put("seed", seed);
                about.put("seconds", (System.nanoTime() - start) / 1e9);
                Json.write(tmp.resolve("generate.json"), about);
            });
            System.out.println(Json.toString(about));
            return 0;
        }
    }

    /** The value of {@code work}, or what it threw (unwrapped, so a bad input still names itself). */
    static <T> T joined(CompletableFuture<T> work) {
        try {
            return work.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw e;
        }
    }

    /** {@code prefix.key=value} settings of one scope; fails naming a setting of another scope. */
    static <T extends Record> T settings(ConfigScope<T> scope, List<String> set) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String s : set) {
            int eq = s.indexOf('=');
            if (eq < 0 || !s.startsWith(scope.prefix() + ".")) {
                throw new IllegalArgumentException("--set " + s + ": expected " + scope.prefix() + ".KEY=VALUE");
            }
            values.put(s.substring(scope.prefix().length() + 1, eq), s.substring(eq + 1));
        }
        return scope.parse(values);
    }
}
