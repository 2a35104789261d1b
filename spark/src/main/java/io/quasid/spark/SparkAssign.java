package io.quasid.spark;

import static org.apache.spark.sql.functions.array_max;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import ai.djl.Device;
import io.quasid.core.io.AtomicFiles;
import io.quasid.core.io.InputFileException;
import io.quasid.core.io.Npy;
import io.quasid.core.plugin.SavedTokenizer;
import io.quasid.core.sid.SidCsv;
import io.quasid.core.sid.SidTable;
import io.quasid.core.sid.StableAssignment;
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

/**
 * SID assignment on Spark: each partition of an embeddings table ({@code item}, {@code vector}: an array
 * of floats) is assigned in batches by a saved tokenizer, which every executor JVM loads once (on first
 * use) and keeps; a tokenizer serves one batch at a time.
 */
public final class SparkAssign {
    /** The input's columns: an item id and its embedding. */
    public static final StructType EMBEDDINGS = new StructType()
            .add("item", DataTypes.StringType, false)
            .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false);
    /** The assigned codes of each item. */
    public static final StructType CODES = new StructType()
            .add("item", DataTypes.StringType, false)
            .add("codes", DataTypes.createArrayType(DataTypes.IntegerType, false), false);

    private static final Map<String, Tokenizer> LOADED = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private SparkAssign() {}

    /** The tokenizer saved in {@code folder}, loaded once per JVM. */
    static Tokenizer tokenizer(String folder) {
        return LOADED.computeIfAbsent(folder, f -> {
            LOADS.incrementAndGet();
            return SavedTokenizer.load(Path.of(f), SparkAssign.class.getClassLoader(), Device.cpu());
        });
    }

    /** How many times this JVM loaded a tokenizer. */
    static int loads() {
        return LOADS.get();
    }

    /**
     * The codes the tokenizer in {@code folder} assigns to every row of {@code embeddings} (columns
     * {@link #EMBEDDINGS}; {@code source} names the input in errors), as rows {@link #CODES}. Fails naming the
     * source, the item and the field on a vector of another length than {@code dimension}, or one holding
     * NaN or infinity.
     */
    public static Dataset<Row> codes(SparkSession spark, Dataset<Row> embeddings, String folder, int dimension, int batch, String source) {
        // the engine's own rows: a vector arrives as one bulk copy (toFloatArray), not element by element as a
        // bean encoder's loop or a Row's boxed floats give it
        JavaRDD<InternalRow> vectors = embeddings.select("item", "vector").queryExecution().toRdd().toJavaRDD();
        JavaRDD<Row> rows = vectors.mapPartitions(partition -> new Iterator<Row>() {
            private Iterator<Row> done = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!done.hasNext() && partition.hasNext()) {
                    done = assignBatch(partition, folder, dimension, batch, source);
                }
                return done.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return done.next();
            }
        });
        return spark.createDataFrame(rows, CODES);
    }

    /** A batch of a partition's rows ({@code item}, {@code vector}; the engine reuses a row object, so each is read at once). */
    private static Iterator<Row> assignBatch(Iterator<InternalRow> partition, String folder, int dimension, int batch, String source) {
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
            System.arraycopy(vector.toFloatArray(), 0, values, at, dimension); // a missing value is copied as 0: checked below
            for (int d = 0; d < dimension; d++) {
                if (vector.isNullAt(d)) {
                    throw new InputFileException(Path.of(source), "item " + item + ": vector[" + d + "] is null");
                }
                if (!Float.isFinite(values[at + d])) {
                    throw new InputFileException(Path.of(source), "item " + item + ": vector[" + d + "] = " + values[at + d] + " is not a finite number");
                }
            }
            items.add(item);
        }
        Tokenizer tokenizer = tokenizer(folder);
        Sid[] sids;
        synchronized (tokenizer) {
            sids = tokenizer.assign(Embeddings.of(Arrays.copyOf(values, items.size() * dimension), items.size(), dimension));
        }
        List<Row> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(RowFactory.create(items.get(i), boxed(sids[i].codes())));
        }
        return out.iterator();
    }

    /** An embeddings table from Parquet ({@code item}, {@code vector}). */
    public static Dataset<Row> parquet(SparkSession spark, String path) {
        Dataset<Row> raw = spark.read().parquet(path);
        for (String column : List.of("item", "vector")) {
            if (!Arrays.asList(raw.columns()).contains(column)) {
                throw new InputFileException(Path.of(path), "has no column '" + column + "': an embeddings table needs item and vector (an array of"
                        + " floats); its columns are " + Arrays.asList(raw.columns()));
            }
        }
        return raw.select(raw.col("item").cast(DataTypes.StringType), raw.col("vector").cast(DataTypes.createArrayType(DataTypes.FloatType)));
    }

    /** An embeddings table from a {@code .npy} matrix and its item ids, one a row (read on the driver: at most 2^31 values). */
    public static Dataset<Row> npy(SparkSession spark, Path matrix, List<String> ids, int partitions) {
        Embeddings e = Npy.read(matrix);
        if (e.rows() != ids.size()) {
            throw new InputFileException(matrix, "has " + e.rows() + " rows but the item list has " + ids.size() + " ids");
        }
        List<Row> rows = new ArrayList<>(e.rows());
        for (int i = 0; i < e.rows(); i++) {
            float[] row = e.row(i);
            Float[] boxed = new Float[row.length];
            for (int d = 0; d < row.length; d++) {
                boxed[d] = row[d];
            }
            rows.add(RowFactory.create(ids.get(i), boxed));
        }
        return spark.createDataFrame(spark.sparkContext().parallelize(scala.jdk.javaapi.CollectionConverters.asScala(rows).toSeq(), partitions,
                scala.reflect.ClassTag$.MODULE$.apply(Row.class)).toJavaRDD(), EMBEDDINGS);
    }

    /** An SID table's columns: item id, codes and de-duplication code. */
    public static final StructType SIDS = new StructType()
            .add("item", DataTypes.StringType, false)
            .add("codes", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add("d", DataTypes.IntegerType, false);

    /**
     * An assignment on Spark and what it did: {@code rows} are the SID table's rows ({@link #SIDS}) with their
     * place in the table, {@code new} (false: published) and {@code position} (a published item's row in the
     * published table), in no particular order.
     */
    public record Extended(Dataset<Row> rows, StableAssignment.Summary summary) {
        /** The table's rows, {@link #SIDS}, in no particular order (as Parquet holds them). */
        public Dataset<Row> table() {
            return rows.select("item", "codes", "d");
        }
    }

    /**
     * A published SID table read on the executors: {@code rows} ({@link #SIDS} and {@code position}, the
     * row's line in the file), its codebook shape and its number of items.
     */
    public record Published(Dataset<Row> rows, CodebookShape shape, long items) {}

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
        } else { // SidTable's d: by item id among the items of a SID
            rows = numbered(spark, rows.select(col("item"), col("codes"), lit(null).cast(DataTypes.IntegerType).as("free"), col("position")), layout.levels())
                    .select("item", "codes", "d", "position").persist(StorageLevel.MEMORY_AND_DISK());
        }
        CodebookShape shape = new CodebookShape(layout.levels(), declared != null ? declared : Math.max(2, stats.getInt(1) + 1));
        return new Published(rows, shape, items);
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
     * {@link StableAssignment#extend} on the executors: the items of {@code published} ({@code null}: none)
     * keep their codes and d; every other item of {@code codes} (rows {@link #CODES}) gets its codes and the
     * next free d of its SID, new items of one SID numbered in item-id order ({@link #numbered}: on the
     * executors, not on the driver); the summary counts as {@code StableAssignment}'s. {@code codes} is read
     * several times: persist it. Fails when {@code published} has another codebook shape than the tokenizer's {@code shape}.
     */
    public static Extended extend(SparkSession spark, Published published, Dataset<Row> codes, CodebookShape shape) {
        if (published != null) {
            StableAssignment.requireShape(published.shape(), shape);
        }
        int levels = shape.levels();
        Dataset<Row> before = published != null ? published.rows() : spark.createDataFrame(List.of(), PUBLISHED);
        Dataset<Row> fresh = codes.join(before, codes.col("item").equalTo(before.col("item")), "left_anti");
        if (published == null) {
            fresh = fresh.withColumn("free", lit(null).cast(DataTypes.IntegerType));
        } else {
            Dataset<Row> free = before.groupBy(col("codes").as("sid")).agg(max("d").plus(1).as("free"));
            fresh = fresh.join(free, fresh.col("codes").equalTo(free.col("sid")), "left").drop("sid");
        }
        Dataset<Row> numbered = numbered(spark, fresh.select("item", "codes", "free"), levels).withColumn("depth", lit(0));
        for (int l = 1; published != null && l <= levels; l++) { // the longest prefix shared with a published SID: prefixes nest, so count them
            Dataset<Row> prefixes = before.select(slice(col("codes"), 1, l).as("prefix")).distinct().withColumn("shared", lit(1));
            numbered = numbered.join(prefixes, slice(numbered.col("codes"), 1, l).equalTo(prefixes.col("prefix")), "left")
                    .withColumn("depth", col("depth").plus(coalesce(col("shared"), lit(0)))).drop("prefix", "shared");
        }
        numbered = numbered.persist(StorageLevel.MEMORY_AND_DISK());
        Row counts = numbered.agg(count(lit(1)), sum(when(col("free").isNotNull(), 1).otherwise(0)),
                sum(when(col("free").isNull().and(col("rank").gt(0)), 1).otherwise(0))).first();
        int[] depth = new int[levels + 1];
        for (Row r : numbered.groupBy("depth").count().collectAsList()) {
            depth[r.getInt(0)] = Math.toIntExact(r.getLong(1));
        }
        int added = Math.toIntExact(counts.getLong(0));
        StableAssignment.Summary summary = new StableAssignment.Summary(published == null ? 0 : Math.toIntExact(published.items()), added,
                added == 0 ? 0 : Math.toIntExact(counts.getLong(1)), added == 0 ? 0 : Math.toIntExact(counts.getLong(2)), depth);
        Dataset<Row> rows = before.withColumn("new", lit(false))
                .unionByName(numbered.select(col("item"), col("codes"), col("d"), lit(0L).as("position"), lit(true).as("new")));
        return new Extended(rows, summary);
    }

    /**
     * Where a partition of the rows sorted by SID starts and ends: its rows, first and last SID, and the rows
     * of the last SID in it (a class, not a record: Kryo cannot build records).
     */
    private static final class Run implements java.io.Serializable {
        long rows;
        int[] first;
        int[] last;
        long lastRun;
    }

    /**
     * Each row of {@code rows} ({@code item}, {@code codes} of {@code levels} codes, {@code free}: the SID's next free d, null for
     * 0; any further columns are carried after {@code rank}) with {@code rank}, its place among the rows of its SID in item-id order (UTF-8 byte order, which is
     * Java's for ids without characters beyond U+FFFF), and {@code d = free + rank}. The rows are sorted by
     * (SID, item) under a range partitioning, so a SID that millions of items hold spans partitions instead
     * of loading one task as a window over the SID would; each partition then counts on from the rows its
     * first SID has in the partitions before it (one small pass to find them).
     */
    static Dataset<Row> numbered(SparkSession spark, Dataset<Row> rows, int levels) {
        // by each level's code, then the id: the same order as by the array, but the sorter keeps a prefix of an int
        // key and compares ints, where an array key is compared element by element through a generic accessor
        List<org.apache.spark.sql.Column> key = new ArrayList<>();
        for (int l = 0; l < levels; l++) {
            key.add(col("codes").getItem(l));
        }
        key.add(col("item"));
        JavaRDD<Row> sorted = rows.sort(key.toArray(org.apache.spark.sql.Column[]::new)).javaRDD().persist(StorageLevel.MEMORY_AND_DISK());
        List<Run> runs = sorted.mapPartitions(partition -> {
            long n = 0;
            long lastRun = 0;
            int[] first = null;
            int[] last = null;
            while (partition.hasNext()) {
                int[] sid = sidOf(partition.next());
                if (first == null) {
                    first = sid;
                }
                lastRun = Arrays.equals(sid, last) ? lastRun + 1 : 1;
                last = sid;
                n++;
            }
            Run run = new Run();
            run.rows = n;
            run.first = first;
            run.last = last;
            run.lastRun = lastRun;
            return List.of(run).iterator();
        }).collect();
        long[] carried = new long[runs.size()]; // rows of partition p's first SID in the partitions before p
        int[] last = null;
        long lastRun = 0;
        for (int p = 0; p < runs.size(); p++) {
            Run run = runs.get(p);
            if (run.rows == 0) {
                continue;
            }
            carried[p] = Arrays.equals(run.first, last) ? lastRun : 0;
            lastRun = run.lastRun == run.rows ? carried[p] + run.rows : run.lastRun;
            last = run.last;
        }
        JavaRDD<Row> out = sorted.mapPartitionsWithIndex((p, partition) -> new Iterator<Row>() {
            private int[] current;
            private long rank;

            @Override
            public boolean hasNext() {
                return partition.hasNext();
            }

            @Override
            public Row next() {
                Row r = partition.next();
                int[] sid = sidOf(r);
                rank = current == null ? carried[p] : Arrays.equals(sid, current) ? rank + 1 : 0;
                current = sid;
                Integer free = r.isNullAt(2) ? null : r.getInt(2);
                Object[] values = new Object[r.size() + 2];
                values[0] = r.getString(0);
                values[1] = r.get(1);
                values[2] = Math.toIntExact((free == null ? 0 : free) + rank);
                values[3] = free;
                values[4] = Math.toIntExact(rank);
                for (int c = 3; c < r.size(); c++) {
                    values[c + 2] = r.get(c);
                }
                return RowFactory.create(values);
            }
        }, true);
        StructType schema = SIDS.add("free", DataTypes.IntegerType, true).add("rank", DataTypes.IntegerType, false);
        for (int c = 3; c < rows.schema().size(); c++) {
            schema = schema.add(rows.schema().fields()[c]);
        }
        return spark.createDataFrame(out, schema);
    }

    private static int[] sidOf(Row row) {
        List<Integer> codes = row.getList(1);
        int[] out = new int[codes.size()];
        for (int l = 0; l < out.length; l++) {
            out[l] = codes.get(l);
        }
        return out;
    }

    /**
     * Writes the table of {@code assigned} ({@code levels} codes) as the project's SID CSV ({@link SidCsv}'s
     * format) to {@code file}, rows in {@code StableAssignment}'s order (the published items in their order,
     * then the new ones in item-id order): the executors write the sorted lines as text parts into
     * {@code parts}, which are then joined behind the header and deleted. Fails naming {@code source} and the
     * item when a new item has two rows (sorted, they are neighbours in one partition: equal keys share a
     * range), and naming the item when its id holds a comma or a newline.
     */
    public static void writeCsv(Extended assigned, int levels, Path file, Path parts, String source) throws IOException {
        assigned.rows().orderBy("new", "position", "item").javaRDD().mapPartitions(partition -> new Iterator<String>() {
            private String previous;

            @Override
            public boolean hasNext() {
                return partition.hasNext();
            }

            @Override
            public String next() {
                Row r = partition.next();
                String item = r.getString(0);
                if (item.equals(previous)) {
                    throw new InputFileException(Path.of(source), "item " + item + " has more than one row: one embedding an item");
                }
                previous = item;
                return SidCsv.row(item, Sid.of(sidOf(r)), r.getInt(2));
            }
        }).saveAsTextFile(parts.toString());
        List<Path> files;
        try (java.util.stream.Stream<Path> listed = Files.list(parts)) {
            files = listed.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList(); // part-00000, ...: the table's order
        }
        try (java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
            out.write((SidCsv.header(levels) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (Path f : files) {
                Files.copy(f, out);
            }
        }
        AtomicFiles.deleteTree(parts);
    }

    private static Integer[] boxed(int[] values) {
        return Arrays.stream(values).boxed().toArray(Integer[]::new);
    }
}
