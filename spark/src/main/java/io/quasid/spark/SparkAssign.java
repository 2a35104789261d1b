package io.quasid.spark;

import static org.apache.spark.sql.functions.array_max;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.size;

import ai.djl.Device;
import io.quasid.core.NativeMemory;
import io.quasid.core.io.AtomicFiles;
import io.quasid.core.io.InputFileException;
import io.quasid.core.io.ItemList;
import io.quasid.core.io.Npy;
import io.quasid.core.plugin.SavedTokenizer;
import io.quasid.core.sid.SidCsv;
import io.quasid.core.sid.SidTable;
import io.quasid.core.sid.StableAssignment;
import io.quasid.spark.SidNumbering.Entry;
import io.quasid.spi.CodebookShape;
import io.quasid.spi.Embeddings;
import io.quasid.spi.Sid;
import io.quasid.spi.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * SID assignment on Spark: each partition of an embeddings table ({@code item}, {@code vector}: an array
 * of floats) is assigned in batches by a saved tokenizer, which every executor JVM loads once (on first
 * use) and keeps; its concurrent tasks share it ({@link Tokenizer#assign} is thread-safe), each running the
 * engine's operators on {@code spark.task.cpus} threads, with the C allocator tuned for them ({@link NativeMemory}).
 */
public final class SparkAssign {
    /** The input's columns: an item id and its embedding. */
    public static final StructType EMBEDDINGS = new StructType()
            .add("item", DataTypes.StringType, false)
            .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false);
    private static final Map<String, Tokenizer> LOADED = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private SparkAssign() {}

    /**
     * The tokenizer saved in {@code folder}, loaded once per JVM. The first load in a JVM starts the PyTorch
     * engine with {@code spark.task.cpus} intra-op threads and one inter-op thread, unless the JVM was started with
     * {@code -Dai.djl.pytorch.num_threads} / {@code num_interop_threads}: the executor runs as many tasks as it
     * has cores, so each task's operators get the cores Spark gave the task, not every core of the machine.
     */
    static Tokenizer tokenizer(String folder) {
        return LOADED.computeIfAbsent(folder, f -> {
            LOADS.incrementAndGet();
            org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
            String cpus = Integer.toString(env == null ? 1 : env.conf().getInt("spark.task.cpus", 1));
            System.setProperty(THREADS, System.getProperty(THREADS, cpus));
            System.setProperty(INTEROP_THREADS, System.getProperty(INTEROP_THREADS, "1"));
            NativeMemory.tune(); // an executor JVM on a cluster starts elsewhere than SparkMain
            return SavedTokenizer.load(Path.of(f), SparkAssign.class.getClassLoader(), Device.cpu());
        });
    }

    /** DJL's PyTorch thread settings, read when the engine starts. */
    static final String THREADS = "ai.djl.pytorch.num_threads";
    static final String INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";

    /** How many times this JVM loaded a tokenizer. */
    static int loads() {
        return LOADS.get();
    }

    /**
     * Rows of an embeddings table a batch at a time: their item ids and their vectors, row after row (checked:
     * every vector of the table's dimension, every value finite). A class, not a record: Kryo cannot build records.
     */
    public static final class Batch implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final List<String> items;
        private final float[] values;

        Batch(List<String> items, float[] values) {
            this.items = items;
            this.values = values;
        }

        public List<String> items() {
            return items;
        }

        public float[] values() {
            return values;
        }
    }

    /**
     * An embeddings table: its rows in batches of at most {@code batch} (one pass over them), its item ids alone
     * (without reading a vector), a uniform sample of them when the reading drew one ({@code null}: none), and
     * the dimension of its vectors.
     */
    public record Input(JavaRDD<Batch> batches, JavaRDD<String> items, List<String> sample, int dimension) {
        /** The ranges of item ids the assignment sorts into, one a partition of the input: bounds from the sample, else sampled from the ids (a pass over them). */
        public Partitioner byItem() {
            int partitions = batches.getNumPartitions();
            return sample != null ? SidNumbering.byItem(sample, partitions) : SidNumbering.byItem(items, partitions);
        }
    }

    /** Ids a {@code .npy} input's driver samples for the ranges of the sort, per partition (at most a million in all). */
    static final int SAMPLE_PER_PARTITION = 1_000;

    /**
     * The SID the tokenizer in {@code folder} assigns to every row of {@code input}, by item id, in the input's
     * order; fails naming {@code source} when the tokenizer takes vectors of another dimension.
     */
    public static JavaPairRDD<String, Sid> codes(Input input, String folder, String source) {
        int dimension = input.dimension();
        int taken = tokenizer(folder).dimension();
        if (dimension != taken) {
            throw new InputFileException(Path.of(source), "vectors have " + dimension + " values; the tokenizer in " + folder + " takes " + taken);
        }
        return input.batches().flatMapToPair(b -> {
            Sid[] sids = tokenizer(folder).assign(Embeddings.of(b.values(), b.items().size(), dimension));
            List<Tuple2<String, Sid>> out = new ArrayList<>(sids.length);
            for (int i = 0; i < sids.length; i++) {
                out.add(new Tuple2<>(b.items().get(i), sids[i]));
            }
            return out.iterator();
        });
    }

    /**
     * An embeddings table from Parquet ({@code item}, {@code vector}), in batches of {@code batch} rows. Its
     * dimension is its first vector's; a row without an item or a vector, a vector of another length, one holding
     * NaN, infinity or null fail naming the file, the item and the field, in the task that reads it.
     */
    public static Input parquet(SparkSession spark, String path, int batch) {
        Dataset<Row> raw = spark.read().parquet(path);
        for (String column : List.of("item", "vector")) {
            if (!Arrays.asList(raw.columns()).contains(column)) {
                throw new InputFileException(Path.of(path), "has no column '" + column + "': an embeddings table needs item and vector (an array of"
                        + " floats); its columns are " + Arrays.asList(raw.columns()));
            }
        }
        Dataset<Row> embeddings = raw.select(raw.col("item").cast(DataTypes.StringType), raw.col("vector").cast(DataTypes.createArrayType(DataTypes.FloatType)));
        List<Row> first = embeddings.select("vector").filter(col("vector").isNotNull()).limit(1).collectAsList();
        if (first.isEmpty()) {
            throw new InputFileException(Path.of(path), "holds no embeddings");
        }
        int dimension = first.get(0).getList(0).size();
        // the engine's own rows: a vector arrives as one bulk copy (toFloatArray), not element by element as a
        // bean encoder's loop or a Row's boxed floats give it
        JavaRDD<InternalRow> rows = embeddings.queryExecution().toRdd().toJavaRDD();
        JavaRDD<Batch> batches = rows.mapPartitions(partition -> new Iterator<Batch>() {
            @Override
            public boolean hasNext() {
                return partition.hasNext();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return parquetBatch(partition, dimension, batch, path);
            }
        });
        return new Input(batches, embeddings.select("item").as(org.apache.spark.sql.Encoders.STRING()).javaRDD().filter(java.util.Objects::nonNull), null,
                dimension);
    }

    /** The next at most {@code batch} rows of a Parquet partition ({@code item}, {@code vector}; the engine reuses a row object, so each is read at once). */
    private static Batch parquetBatch(Iterator<InternalRow> partition, int dimension, int batch, String source) {
        List<String> items = new ArrayList<>(batch);
        float[] values = new float[batch * dimension];
        while (items.size() < batch && partition.hasNext()) {
            InternalRow r = partition.next();
            String item = r.isNullAt(0) ? null : r.getUTF8String(0).toString();
            if (item == null || r.isNullAt(1)) {
                throw new InputFileException(Path.of(source), "has a row without an item or a vector (item " + item + ")");
            }
            ArrayData vector = r.getArray(1);
            if (vector.numElements() != dimension) {
                throw new InputFileException(Path.of(source), "item " + item + ": vector has " + vector.numElements() + " values, the others " + dimension);
            }
            int at = items.size() * dimension;
            System.arraycopy(vector.toFloatArray(), 0, values, at, dimension);
            for (int d = 0; d < dimension; d++) {
                if (values[at + d] == 0 && vector.isNullAt(d)) { // a missing value is copied as 0
                    throw new InputFileException(Path.of(source), "item " + item + ": vector[" + d + "] is null");
                }
            }
            requireFinite(values, at, dimension, item, source);
            items.add(item);
        }
        return new Batch(items, Arrays.copyOf(values, items.size() * dimension));
    }

    /** Fails naming {@code source}, the item and the field when {@code values[at .. at + dimension)} holds NaN or infinity. */
    private static void requireFinite(float[] values, int at, int dimension, String item, String source) {
        for (int d = 0; d < dimension; d++) {
            float v = values[at + d];
            if (!Float.isFinite(v)) {
                throw new InputFileException(Path.of(source), "item " + item + ": vector[" + d + "] = " + v + " is not a finite number");
            }
        }
    }

    /**
     * An embeddings table from a {@code .npy} matrix and its items file ({@link ItemList}: one id a line), in
     * {@code partitions} ranges of rows (range {@code p}: rows {@code rows * p / partitions} on), read {@code batch}
     * rows at a time. The driver reads the header and finds where each range's ids begin in the items file
     * ({@link ItemList#ranges}: one pass that keeps only a uniform sample of the ids, from which the sort's ranges are
     * cut, so no job passes over the ids to sample them); each task reads its ids and its rows from their
     * places in the two files, which must be at the same paths where the tasks run (local mode or a shared file
     * system), straight into the batches the tokenizer takes. A value that is NaN or infinite fails naming the file,
     * the item and the field; an id given twice fails in the sort.
     */
    public static Input npy(SparkSession spark, Path matrix, Path itemsFile, int partitions, int batch) {
        Npy.Layout layout = Npy.layout(matrix);
        if (layout.rows() == 0) {
            throw new InputFileException(matrix, "holds no embeddings");
        }
        int parts = (int) Math.max(1, Math.min(partitions, layout.rows()));
        long rowCount = layout.rows();
        ItemList.Ranges scanned = ItemList.ranges(rowCount, itemsFile, parts, Math.min(1_000_000, SAMPLE_PER_PARTITION * parts), 1);
        long[] starts = scanned.starts();
        String file = matrix.toAbsolutePath().toString();
        String listed = itemsFile.toAbsolutePath().toString();
        JavaRDD<Integer> ranges = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(java.util.stream.IntStream.range(0, parts).boxed().toList(), parts);
        JavaRDD<String> ids = ranges.flatMap(p -> rangeIds(listed, starts, rowCount, parts, p).iterator());
        int dimension = layout.dimension();
        JavaRDD<Batch> batches = ranges.mapPartitionsWithIndex((p, only) -> {
            List<String> items = rangeIds(listed, starts, rowCount, parts, p);
            long first = rowCount * p / parts;
            return new Iterator<Batch>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < items.size();
                }

                @Override
                public Batch next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    int count = Math.min(batch, items.size() - next);
                    float[] values = Npy.rows(Path.of(file), layout, first + next, count);
                    List<String> batchItems = new ArrayList<>(items.subList(next, next + count));
                    for (int i = 0; i < count; i++) {
                        requireFinite(values, i * dimension, dimension, batchItems.get(i), file);
                    }
                    next += count;
                    return new Batch(batchItems, values);
                }
            };
        }, true);
        return new Input(batches, ids, scanned.sample(), dimension);
    }

    /** The ids of range {@code p} of {@code parts} ranges of {@code rows} rows, read from the items file at its start. */
    private static List<String> rangeIds(String itemsFile, long[] starts, long rows, int parts, int p) {
        long first = rows * p / parts;
        return ItemList.idsFrom(Path.of(itemsFile), starts[p], Math.toIntExact(rows * (p + 1) / parts - first));
    }

    /** An SID table's columns: item id, codes and de-duplication code. */
    public static final StructType SIDS = new StructType()
            .add("item", DataTypes.StringType, false)
            .add("codes", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add("d", DataTypes.IntegerType, false);

    /**
     * An assignment on Spark and what it did: the published rows in their table's order and the new rows, numbered,
     * in item-id order (partition after partition), with {@code StableAssignment}'s summary.
     */
    public record Extended(JavaRDD<Entry> published, JavaRDD<Entry> added, StableAssignment.Summary summary) {
        /** The table's rows, {@link #SIDS}: the published ones, then the new ones. */
        public Dataset<Row> table(SparkSession spark) {
            return spark.createDataFrame(published.union(added).map(e -> RowFactory.create(e.item, boxed(e.sid.codes()), e.d)), SIDS);
        }
    }

    /** A published SID table read on the executors: its rows (persisted), codebook shape and number of items. */
    public record Published(JavaRDD<Entry> rows, CodebookShape shape, long items) {}

    /** A published table's rows: {@link #SIDS} ({@code d} null where the file has none) and {@code position}, the row's line from 0. */
    static final StructType PUBLISHED = new StructType().add("item", DataTypes.StringType, false)
            .add("codes", DataTypes.createArrayType(DataTypes.IntegerType, false), false).add("d", DataTypes.IntegerType, true)
            .add("position", DataTypes.LongType, false);

    /**
     * The published SID table {@code path} (the project's SID CSV, {@code SidCsv}'s format), read and checked on
     * the executors with {@code SidCsv}'s rules: each line there, failing naming the file, the line and the field;
     * an item twice, or two items sharing a SID and {@code d}, fail naming both. A table without {@code d} gets
     * {@code SidTable}'s, 0, 1, ... by item id among the items of a SID. The codebook is the metadata's
     * {@code codes} beside a local file, else the largest code + 1 (at least 2), as {@code SidCsv.read} has it.
     * Every check runs here, before any assignment.
     */
    public static Published published(SparkSession spark, String path) {
        Path file = Path.of(path);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        try {
            org.apache.hadoop.fs.Path hadoop = new org.apache.hadoop.fs.Path(path);
            if (!hadoop.getFileSystem(jsc.hadoopConfiguration()).isFile(hadoop)) {
                throw new InputFileException(file, "SID file does not exist");
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
        // lines as bytes, numbered from 0, decoded strictly (Hadoop's Text would replace bytes that are not UTF-8)
        JavaPairRDD<byte[], Long> lines = jsc.hadoopFile(path, TextInputFormat.class, LongWritable.class, Text.class)
                .map(t -> t._2().copyBytes()).zipWithIndex().persist(StorageLevel.MEMORY_AND_DISK());
        SidCsv.Layout layout = SidCsv.layout(file, lines.isEmpty() ? null : utf8(path, 0, lines.first()._1()));
        Integer declared = Files.isRegularFile(file) ? SidCsv.declaredCodes(file) : null;
        SidCsv.Limit limit = new SidCsv.Limit(declared, SidCsv.metadataFile(file).getFileName().toString());
        JavaRDD<Row> parsed = lines.filter(t -> t._2() > 0).flatMap(t -> {
            String text = utf8(path, t._2(), t._1());
            if (text.isBlank()) {
                return java.util.Collections.emptyIterator();
            }
            SidCsv.Line line = SidCsv.parse(Path.of(path), t._2() + 1, text, layout, limit);
            return List.of(RowFactory.create(line.item(), boxed(line.codes()), line.d() < 0 ? null : line.d(), t._2())).iterator();
        });
        Dataset<Row> rows = spark.createDataFrame(parsed, PUBLISHED).persist(StorageLevel.MEMORY_AND_DISK());
        Row stats = rows.agg(count(lit(1)), max(array_max(col("codes")))).first();
        lines.unpersist(); // the rows hold the table now
        long items = stats.getLong(0);
        if (items == 0) {
            throw SidCsv.noRows(file);
        }
        List<Row> twice = rows.groupBy("item").agg(array_sort(collect_list("position")).as("at")).filter(size(col("at")).gt(1)).limit(1).collectAsList();
        if (!twice.isEmpty()) {
            List<Long> at = twice.get(0).getList(1);
            throw SidCsv.itemTwice(file, at.get(1) + 1, twice.get(0).getString(0), at.get(0) + 1);
        }
        if (layout.hasDedup()) {
            List<Row> shared = rows.groupBy("codes", "d").agg(array_sort(collect_list("item")).as("items")).filter(size(col("items")).gt(1))
                    .limit(1).collectAsList();
            if (!shared.isEmpty()) {
                List<String> both = shared.get(0).getList(2);
                List<Integer> sid = shared.get(0).getList(0);
                throw new InputFileException(file, SidTable.sharedDedup(both.get(0), both.get(1), Sid.of(sid.stream().mapToInt(Integer::intValue).toArray()),
                        shared.get(0).getInt(1)));
            }
        }
        JavaRDD<Entry> entries = rows.javaRDD().map(r -> new Entry(r.getString(0), Sid.of(ints(r.getList(1))), r.isNullAt(2) ? -1 : r.getInt(2), r.getLong(3)));
        if (!layout.hasDedup()) { // SidTable's d: by item id among the items of a SID
            Partitioner byItem = SidNumbering.byItem(entries.map(e -> e.item), entries.getNumPartitions());
            JavaRDD<Entry> sorted = SidNumbering.sorted(entries.mapToPair(e -> new Tuple2<>(e.item, e)), byItem).values().persist(StorageLevel.MEMORY_AND_DISK_SER());
            SidNumbering.Numbered numbered = SidNumbering.number(sorted, null);
            entries = numbered.rows().persist(StorageLevel.MEMORY_AND_DISK_SER());
            entries.count();
            numbered.groups().unpersist();
            sorted.unpersist();
        } else {
            entries = entries.persist(StorageLevel.MEMORY_AND_DISK_SER());
            entries.count();
        }
        rows.unpersist();
        CodebookShape shape = new CodebookShape(layout.levels(), declared != null ? declared : Math.max(2, stats.getInt(1) + 1));
        return new Published(entries, shape, items);
    }

    /** Line {@code index} (from 0) of {@code path} as text; fails naming the line when its bytes are not UTF-8. */
    private static String utf8(String path, long index, byte[] bytes) {
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new InputFileException(Path.of(path), index + 1, "is not UTF-8 text");
        }
    }

    /**
     * {@link StableAssignment#extend} on the executors: the items of {@code published} ({@code null}: none) keep
     * their codes and d; every other item of {@code codes} gets its codes and the next free d of its SID, new items
     * of one SID numbered in item-id order ({@link SidNumbering}), sorted into the ranges of {@code byItem}. The
     * summary counts as {@code StableAssignment}'s. Fails naming {@code source} and the item when an item has two
     * rows in {@code codes} (sorted, they are neighbours in one partition), and when {@code published} has another
     * codebook shape than the tokenizer's {@code shape}.
     */
    public static Extended extend(Published published, JavaPairRDD<String, Sid> codes, Partitioner byItem, CodebookShape shape, String source) {
        if (published != null) {
            StableAssignment.requireShape(published.shape(), shape);
        }
        JavaPairRDD<String, Sid> sorted = SidNumbering.sorted(codes, byItem);
        JavaRDD<Entry> fresh;
        if (published == null) {
            fresh = sorted.mapPartitions(rows -> unpublished(rows, java.util.Collections.emptyIterator(), source), true);
        } else {
            JavaPairRDD<String, Boolean> kept = SidNumbering.sorted(published.rows().mapToPair(e -> new Tuple2<>(e.item, Boolean.TRUE)), byItem);
            fresh = sorted.zipPartitions(kept, (rows, items) -> unpublished(rows, items, source));
        }
        fresh = fresh.persist(StorageLevel.MEMORY_AND_DISK_SER()); // serialized: no size estimate walks every object
        SidNumbering.Numbered numbered = SidNumbering.number(fresh, published == null ? null : published.rows().mapToPair(e -> new Tuple2<>(e.sid, e.d)));
        JavaRDD<SidNumbering.Group> added = numbered.groups().filter(g -> g.rows > 0);
        long[] counts = added.map(g -> new long[] {g.rows, g.published ? g.rows : 0, g.published ? 0 : g.rows - 1})
                .fold(new long[3], (a, b) -> new long[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]});
        int levels = shape.levels();
        long[] depth = new long[levels + 1];
        if (published != null) { // the longest prefix shared with a published SID: prefixes nest, so count the shared ones
            JavaPairRDD<Sid, Boolean> prefixes = published.rows().flatMap(e -> {
                List<Sid> out = new ArrayList<>(levels);
                for (int l = 1; l <= levels; l++) {
                    out.add(SidNumbering.prefix(e.sid, l));
                }
                return out.iterator();
            }).distinct().mapToPair(p -> new Tuple2<>(p, Boolean.TRUE));
            JavaPairRDD<Sid, Tuple2<Sid, Long>> asked = added.flatMapToPair(g -> {
                List<Tuple2<Sid, Tuple2<Sid, Long>>> out = new ArrayList<>(levels);
                for (int l = 1; l <= levels; l++) {
                    out.add(new Tuple2<>(SidNumbering.prefix(g.sid, l), new Tuple2<>(g.sid, g.rows)));
                }
                return out.iterator();
            });
            Map<Integer, Long> shared = asked.join(prefixes).mapToPair(t -> new Tuple2<>(t._2()._1()._1(), new long[] {1, t._2()._1()._2()}))
                    .reduceByKey((a, b) -> new long[] {a[0] + b[0], a[1]}).mapToPair(t -> new Tuple2<>((int) t._2()[0], t._2()[1]))
                    .reduceByKey(Long::sum).collectAsMap();
            shared.forEach((l, n) -> depth[l] = n);
        }
        depth[0] = counts[0] - Arrays.stream(depth).sum();
        numbered.groups().unpersist();
        int n = Math.toIntExact(counts[0]);
        StableAssignment.Summary summary = new StableAssignment.Summary(published == null ? 0 : Math.toIntExact(published.items()), n,
                Math.toIntExact(counts[1]), Math.toIntExact(counts[2]), Arrays.stream(depth).mapToInt(Math::toIntExact).toArray());
        JavaRDD<Entry> before = published == null ? JavaSparkContext.fromSparkContext(fresh.context()).emptyRDD() // no partitions: no empty tasks in the writes
                : published.rows().sortBy(e -> e.position, true, published.rows().getNumPartitions());
        return new Extended(before, numbered.rows(), summary);
    }

    /**
     * The rows of one partition sorted by item that {@code published} (the partition's published items, sorted
     * alike) does not hold, as entries without d; fails naming {@code source} and the item on an item twice.
     */
    private static Iterator<Entry> unpublished(Iterator<Tuple2<String, Sid>> rows, Iterator<Tuple2<String, Boolean>> published, String source) {
        return new Iterator<Entry>() {
            private String previous;
            private String kept = published.hasNext() ? published.next()._1() : null;
            private Entry next = advance();

            private Entry advance() {
                while (rows.hasNext()) {
                    Tuple2<String, Sid> r = rows.next();
                    String item = r._1();
                    if (item.equals(previous)) {
                        throw new InputFileException(Path.of(source), "item " + item + " has more than one row: one embedding an item");
                    }
                    previous = item;
                    while (kept != null && kept.compareTo(item) < 0) {
                        kept = published.hasNext() ? published.next()._1() : null;
                    }
                    if (!item.equals(kept)) {
                        return new Entry(item, r._2(), -1, -1);
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Entry next() {
                if (next == null) {
                    throw new java.util.NoSuchElementException();
                }
                Entry out = next;
                next = advance();
                return out;
            }
        };
    }

    /**
     * Writes the table of {@code assigned} ({@code levels} codes) as the project's SID CSV ({@link SidCsv}'s
     * format) to {@code file}, rows in {@code StableAssignment}'s order (the published items in their order,
     * then the new ones in item-id order): the executors write the lines as text parts into {@code parts}, which
     * are then joined behind the header and deleted.
     */
    public static void writeCsv(Extended assigned, int levels, Path file, Path parts) throws IOException {
        assigned.published().union(assigned.added()).map(e -> SidCsv.row(e.item, e.sid, e.d)).saveAsTextFile(parts.toString());
        List<Path> files;
        try (java.util.stream.Stream<Path> listed = Files.list(parts)) { // part-00000, part-00001, ...: the table's order
            files = listed.filter(f -> f.getFileName().toString().startsWith("part-"))
                    .sorted(java.util.Comparator.comparingLong(f -> Long.parseLong(f.getFileName().toString().substring(5)))).toList();
        }
        try (java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
            out.write((SidCsv.header(levels) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (Path f : files) {
                Files.copy(f, out);
            }
        }
        AtomicFiles.deleteTree(parts);
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Integer[] boxed(int[] values) {
        Integer[] out = new Integer[values.length]; // a loop: a stream per row cost more than the Parquet encoding
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
