package io.quasid.spark;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.quasid.core.BeautyData;
import io.quasid.core.data.DatasetReader;
import io.quasid.core.data.UnknownItems;
import io.quasid.core.io.Json;
import io.quasid.core.io.ItemList;
import io.quasid.core.io.Npy;
import io.quasid.core.plugin.PluginRegistry;
import io.quasid.core.plugin.SavedTokenizer;
import io.quasid.core.sid.SidCsv;
import io.quasid.core.sid.SidTable;
import io.quasid.core.sid.StableAssignment;
import io.quasid.spi.Embeddings;
import io.quasid.spi.Sid;
import io.quasid.spi.Tokenizer;
import io.quasid.spi.TokenizerContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark assignment against the one-JVM one ({@code quasid assign}'s path: the saved tokenizer's
 * {@code assign} of the whole matrix, then {@link StableAssignment}), on Amazon Beauty's 12,101 item ids
 * with seeded random 384-d vectors and an RQ-KMeans tokenizer fitted on them (the text model does not run here).
 */
final class TestSparkAssign {
    private static final SparkSession SPARK = LocalSpark.session();
    private static final int DIMENSION = 384;

    @TempDir
    static Path dir;
    static Path tokenizer;
    static Path npy;
    static List<String> ids;
    static Embeddings vectors;

    @BeforeAll
    static void fit() throws IOException {
        ids = new DatasetReader(UnknownItems.FAIL).read(BeautyData.dir()).catalogue().ids();
        Random random = new Random(7);
        float[] v = new float[ids.size() * DIMENSION];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        vectors = Embeddings.of(v, ids.size(), DIMENSION);
        npy = dir.resolve("beauty.npy");
        Npy.write(npy, vectors);
        Files.write(dir.resolve("beauty.items.txt"), ids);
        tokenizer = Files.createDirectories(dir.resolve("tokenizer"));
        try (Tokenizer t = PluginRegistry.load(TestSparkAssign.class.getClassLoader(), Map.of()).tokenizer("rqkmeans")
                .fit(vectors, TokenizerContext.plain(Device.cpu(), 1))) {
            t.save(tokenizer.resolve("model"));
        }
        Files.writeString(tokenizer.resolve("sids.meta.json"), "{\"tokenizer\": \"rqkmeans\"}");
    }

    private static int assign(Path embeddings, Path published, Path out) {
        List<String> args = new ArrayList<>(List.of("assign", "--model", tokenizer.toString(), "--embeddings", embeddings.toString(),
                "--out", out.toString(), "--batch", "1000"));
        if (published != null) {
            args.addAll(List.of("--published", published.toString()));
        }
        return SparkMain.run(args.toArray(String[]::new));
    }

    /** What quasid assign computes for {@code rows} of the matrix, with {@code published} kept. */
    private static StableAssignment.Result oneJvm(int from, int to, SidTable published) {
        try (Tokenizer t = SavedTokenizer.load(tokenizer, TestSparkAssign.class.getClassLoader(), Device.cpu())) {
            Embeddings part = Embeddings.of(vectors.rows(from, to), to - from, DIMENSION);
            return StableAssignment.extend(published, new SidTable(ids.subList(from, to), t.assign(part), t.shape()));
        }
    }

    private static Path npyOf(int from, int to, String name) throws IOException {
        Path file = dir.resolve(name + ".npy");
        Npy.write(file, Embeddings.of(vectors.rows(from, to), to - from, DIMENSION));
        Files.write(dir.resolve(name + ".items.txt"), ids.subList(from, to));
        return file;
    }

    private static void assertSameTable(SidTable actual, SidTable expected) {
        assertThat(actual.items()).isEqualTo(expected.items());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.sid(i)).as(expected.item(i)).isEqualTo(expected.sid(i));
            assertThat(actual.dedup(i)).as(expected.item(i)).isEqualTo(expected.dedup(i));
        }
    }

    /** The summary recorded in {@code out}'s {@code sids.meta.json}: the one {@link StableAssignment} gives. */
    private static void assertSameSummary(Path out, StableAssignment.Summary expected) {
        JsonNode recorded = Json.read(SidCsv.metadataFile(out.resolve("sids.csv"))).path("assignment");
        assertThat(recorded).isEqualTo(Json.MAPPER.valueToTree(expected.json()));
    }

    @Test
    void aNpyInputIsReadInRangesOfRowsWhereTheTasksRunInTheFilesOrder() {
        for (int partitions : new int[] {1, 7}) { // one range of several chunks; ranges of part of a chunk
            SparkAssign.Input input = SparkAssign.npy(SPARK, npy, ItemList.itemsFile(npy), partitions, 1000);
            assertThat(input.items().collect()).as("the ids alone").isEqualTo(ids);
            assertThat(input.dimension()).isEqualTo(DIMENSION);
            List<String> items = new ArrayList<>();
            List<float[]> rows = new ArrayList<>();
            for (SparkAssign.Batch b : input.batches().collect()) {
                assertThat(b.items().size()).as("a batch's rows").isBetween(1, 1000);
                assertThat(b.values()).hasSize(b.items().size() * DIMENSION);
                items.addAll(b.items());
                for (int i = 0; i < b.items().size(); i++) {
                    rows.add(java.util.Arrays.copyOfRange(b.values(), i * DIMENSION, (i + 1) * DIMENSION));
                }
            }
            assertThat(items).as("every row once, in the file's order").isEqualTo(ids);
            for (int i = 0; i < ids.size(); i += 997) {
                for (int d = 0; d < DIMENSION; d++) {
                    assertThat(rows.get(i)[d]).as("row %d of %d partitions", i, partitions).isEqualTo(vectors.get(i, d));
                }
            }
        }
    }

    @Test
    void theSparkAssignmentOfBeautysItemsEqualsTheOneJvmAssignmentItemForItem() {
        Path out = dir.resolve("all");
        assertThat(assign(npy, null, out)).isZero();
        StableAssignment.Result expected = oneJvm(0, ids.size(), null);
        assertSameTable(SidCsv.read(out.resolve("sids.csv")), expected.table());
        assertSameSummary(out, expected.summary());
        List<Row> parquet = SPARK.read().parquet(out.resolve("sids.parquet").toString()).collectAsList();
        assertThat(parquet).hasSize(ids.size());
        assertThat(SparkAssign.loads()).as("the tokenizer is loaded once in this JVM, not per partition or row").isEqualTo(1);
    }

    @Test
    void inTwoHalvesTheFirstKeepsItsSidsAndTheSecondGetsTheCodesOfOneAssignment() throws IOException {
        int half = ids.size() / 2;
        assertThat(assign(npyOf(0, half, "first"), null, dir.resolve("h1"))).isZero();
        SidTable first = SidCsv.read(dir.resolve("h1/sids.csv"));
        assertThat(assign(npy, dir.resolve("h1/sids.csv"), dir.resolve("h2"))).isZero();
        SidTable both = SidCsv.read(dir.resolve("h2/sids.csv"));
        StableAssignment.Result expected = oneJvm(0, ids.size(), first);
        assertSameTable(both, expected.table());
        assertSameSummary(dir.resolve("h2"), expected.summary());
        assertThat(expected.summary().collidingWithPublished()).as("new items on published SIDs, numbered after them").isPositive();
        SidTable once = oneJvm(0, ids.size(), null).table().alignedTo(both.items());
        for (int i = 0; i < both.size(); i++) {
            if (i < first.size()) {
                assertThat(both.item(i)).isEqualTo(first.item(i));
                assertThat(both.dedup(i)).isEqualTo(first.dedup(i));
            }
            assertThat(both.sid(i)).as(both.item(i)).isEqualTo(once.sid(i));
        }
    }

    @Test
    void theNumberingCountsOnAcrossPartitionsWhenOneSidHoldsThousandsOfItems() {
        List<scala.Tuple2<String, Sid>> rows = new ArrayList<>();
        for (int i = 0; i < 3000; i++) { // one SID for 3,000 items: the range partitioning by item splits it over partitions
            rows.add(new scala.Tuple2<>(String.format("i%05d", 2999 - i), Sid.of(1, 2, 3)));
        }
        rows.add(new scala.Tuple2<>("a", Sid.of(5, 5, 5))); // after the published items of its SID, whose largest d is 2
        rows.add(new scala.Tuple2<>("z", Sid.of(0, 0, 0)));
        org.apache.spark.api.java.JavaSparkContext jsc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(SPARK.sparkContext());
        org.apache.spark.api.java.JavaPairRDD<String, Sid> input = jsc.parallelizePairs(rows, 3);
        org.apache.spark.Partitioner byItem = SidNumbering.byItem(input.keys(), 4);
        org.apache.spark.api.java.JavaRDD<SidNumbering.Entry> sorted = SidNumbering.sorted(input, byItem)
                .map(t -> new SidNumbering.Entry(t._1(), t._2(), -1, -1));
        org.apache.spark.api.java.JavaPairRDD<Sid, Integer> published = jsc.parallelizePairs(List.of(new scala.Tuple2<>(Sid.of(5, 5, 5), 2),
                new scala.Tuple2<>(Sid.of(5, 5, 5), 0)));
        SidNumbering.Numbered numbered = SidNumbering.number(sorted, published);
        List<SidNumbering.Entry> out = numbered.rows().collect();
        Map<String, Integer> d = new java.util.HashMap<>();
        out.forEach(e -> d.put(e.item, e.d));
        assertThat(out).extracting(e -> e.item).as("item-id order, partition after partition").isSorted();
        for (int i = 0; i < 3000; i++) {
            assertThat(d.get(String.format("i%05d", i))).as("item %d of the SID", i).isEqualTo(i);
        }
        assertThat(d.get("a")).isEqualTo(3);
        assertThat(d.get("z")).isZero();
        SidNumbering.Group big = numbered.groups().filter(g -> g.sid.equals(Sid.of(1, 2, 3))).first();
        assertThat(big.partitions.length).as("partitions that hold the SID's items").isGreaterThan(1);
        assertThat(big.rows).isEqualTo(3000);
    }

    @Test
    void aPublishedTableIsReadOnTheExecutorsAsSidCsvReadsIt() throws IOException {
        Path withD = dir.resolve("published-d.csv");
        Files.writeString(withD, "item_id,c1,c2,c3,d\nb,1,2,3,0\n\na,1,2,3,1\nc,0,0,1,0\n");
        Files.writeString(SidCsv.metadataFile(withD), "{\"codes\": 256}");
        Path withoutD = dir.resolve("published.csv"); // no d: by item id among a SID's items, as SidTable numbers them
        Files.writeString(withoutD, "item_id,c1,c2\nz,1,1\ny,1,1\nx,0,1\n");
        for (Path file : List.of(withD, withoutD)) {
            SparkAssign.Published published = SparkAssign.published(SPARK, file.toString());
            SidTable expected = SidCsv.read(file);
            assertThat(published.shape()).isEqualTo(expected.shape());
            assertThat(published.items()).isEqualTo(expected.size());
            for (SidNumbering.Entry e : published.rows().collect()) {
                int i = expected.items().indexOf(e.item);
                assertThat(e.sid).isEqualTo(expected.sid(i));
                assertThat(e.d).as(file + " " + e.item).isEqualTo(expected.dedup(i));
                assertThat(e.position).as("line from 0").isEqualTo(Files.readAllLines(file).indexOf(Files.readAllLines(file).stream()
                        .filter(line -> line.startsWith(e.item + ",")).findFirst().orElseThrow()));
            }
        }
    }

    @Test
    void aBadPublishedTableFailsNamingTheFileTheLineAndTheField() throws IOException {
        assertThat(publishedFailure("item_id,c1,c2,d\na,1,2,0\nb,1,x,0\n".getBytes())).contains("bad.csv:3:", "c2 = 'x'");
        assertThat(publishedFailure("item_id,c1,c2,d\na,1,2,0\nb,1,3,0\na,2,2,0\n".getBytes())).contains("bad.csv:4:", "item a", "line 2");
        assertThat(publishedFailure("item_id,c1,c2,d\na,1,2,0\nb,1,2,0\n".getBytes())).contains("items a and b share SID", "code 0");
        byte[] latin1 = "item_id,c1,c2,d\ncaf\u00e9,1,2,0\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(publishedFailure(latin1)).contains("bad.csv:2:", "not UTF-8");
        assertThat(publishedFailure("item_id,c1,c2,d\n".getBytes())).contains("no SIDs");
    }

    @Test
    void aNaNInANpyInputOrVectorsOfAnotherDimensionThanTheTokenizersFailNamingTheFileTheItemAndTheField() throws IOException {
        Path nan = dir.resolve("nan.npy"); // three rows, the second's sixth value NaN (Npy.write takes finite values only)
        Npy.write(nan, Embeddings.of(vectors.rows(0, 3), 3, DIMENSION));
        try (java.nio.channels.FileChannel file = java.nio.channels.FileChannel.open(nan, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer value = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN).flip();
            file.write(value, Npy.layout(nan).dataOffset() + (DIMENSION + 5) * 4L);
        }
        Files.write(dir.resolve("nan.items.txt"), ids.subList(0, 3));
        String message = inputFailure(() -> SparkAssign.npy(SPARK, nan, ItemList.itemsFile(nan), 1, 1000).batches().count());
        assertThat(message).contains("nan.npy", "item " + ids.get(1), "vector[5] = NaN");
        Path narrow = dir.resolve("narrow.npy");
        Npy.write(narrow, Embeddings.of(vectors.rows(0, 2), 2 * DIMENSION / 4, 4));
        Files.write(dir.resolve("narrow.items.txt"), ids.subList(0, 2 * DIMENSION / 4));
        String folder = tokenizer.toString();
        assertThat(inputFailure(() -> SparkAssign.codes(SparkAssign.npy(SPARK, narrow, ItemList.itemsFile(narrow), 1, 1000), folder, narrow.toString())))
                .contains("narrow.npy", "vectors have 4 values", "takes " + DIMENSION);
    }

    @Test
    void aNpyWithoutRowsFailsNamingTheFile() throws IOException {
        Path empty = dir.resolve("empty.npy"); // numpy's np.save of np.zeros((0, 384), np.float32)
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (0, " + DIMENSION + "), }";
        String header = dict + " ".repeat(63 - (10 + dict.length()) % 64) + "\n";
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        bytes.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), (byte) (header.length() >> 8)});
        bytes.write(header.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Files.write(empty, bytes.toByteArray());
        Files.write(dir.resolve("empty.items.txt"), List.of());
        assertThat(inputFailure(() -> SparkAssign.npy(SPARK, empty, ItemList.itemsFile(empty), 2, 1000))).contains("empty.npy", "holds no embeddings");
    }

    /** The message of the input error {@code job} raises (on an executor, it reaches the driver wrapped). */
    private static String inputFailure(Runnable job) {
        try {
            job.run();
        } catch (Exception e) { // Spark's SparkException is checked, undeclared
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof io.quasid.core.io.InputFileException) {
                    return t.getMessage();
                }
            }
            throw new AssertionError("not an input error", e);
        }
        throw new AssertionError("no failure");
    }

    /** The message of the input error reading a published table of {@code bytes} gives. */
    private static String publishedFailure(byte[] bytes) throws IOException {
        Path bad = dir.resolve("bad.csv");
        Files.write(bad, bytes);
        return inputFailure(() -> SparkAssign.published(SPARK, bad.toString()));
    }

    /** A vector of the tokenizer's dimension holding {@code value} everywhere. */
    private static Float[] full(float value) {
        Float[] vector = new Float[DIMENSION];
        java.util.Arrays.fill(vector, value);
        return vector;
    }

    @Test
    void aRaggedVectorANaNAMissingValueAnItemTwiceAnotherCodebookAndAFolderThatIsNoTokenizersFailNamingWhatAndWriteNothing() {
        Path parquet = dir.resolve("bad.parquet");
        List<Row> rows = List.of(RowFactory.create("a", full(0.5f)), RowFactory.create("b", new Float[] {1f})); // the second vector ragged
        SPARK.createDataFrame(rows, SparkAssign.EMBEDDINGS).coalesce(1).write().parquet(parquet.toString());
        Path out = dir.resolve("bad-out");
        assertThat(assign(parquet, null, out)).isEqualTo(2);
        assertThat(out).doesNotExist();
        Path nan = dir.resolve("nan.parquet");
        Float[] withNaN = full(0.5f);
        withNaN[1] = Float.NaN;
        SPARK.createDataFrame(List.of(RowFactory.create("a", withNaN)), SparkAssign.EMBEDDINGS).write().parquet(nan.toString());
        assertThat(assign(nan, null, out)).isEqualTo(2);
        assertThat(out).doesNotExist();
        Path hole = dir.resolve("null.parquet"); // a vector with a missing value
        org.apache.spark.sql.types.StructType holes = new org.apache.spark.sql.types.StructType().add("item", "string")
                .add("vector", org.apache.spark.sql.types.DataTypes.createArrayType(org.apache.spark.sql.types.DataTypes.FloatType, true));
        Float[] withNull = full(0.5f);
        withNull[1] = null;
        SPARK.createDataFrame(List.of(RowFactory.create("a", withNull)), holes).write().parquet(hole.toString());
        assertThat(assign(hole, null, out)).isEqualTo(2);
        assertThat(out).doesNotExist();
        Path twice = dir.resolve("twice.parquet");
        Float[] vector = full(0.5f); // vectors the tokenizer takes: only the repeated id is wrong
        SPARK.createDataFrame(List.of(RowFactory.create("a", vector), RowFactory.create("a", vector)), SparkAssign.EMBEDDINGS)
                .write().parquet(twice.toString());
        assertThat(assign(twice, null, out)).isEqualTo(2);
        assertThat(out).doesNotExist();
        Path otherShape = dir.resolve("two-levels.csv"); // published by another tokenizer
        SidCsv.write(otherShape, new SidTable(List.of("x"), new io.quasid.spi.Sid[] {io.quasid.spi.Sid.of(1, 2)}, new io.quasid.spi.CodebookShape(2, 256)));
        assertThat(assign(npy, otherShape, out)).isEqualTo(2);
        assertThat(out).doesNotExist();
        assertThat(SparkMain.run("assign", "--model", dir.toString(), "--embeddings", npy.toString(), "--out", out.toString())).isEqualTo(2);
        assertThat(out).doesNotExist();
    }
}
