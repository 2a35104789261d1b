package io.quasid.spark;

import ai.djl.Device;
import io.quasid.core.io.InputFileException;
import io.quasid.core.io.Npy;
import io.quasid.core.plugin.SavedTokenizer;
import io.quasid.core.sid.SidTable;
import io.quasid.spi.Embeddings;
import io.quasid.spi.Sid;
import io.quasid.spi.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

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
        // as beans, the vectors arrive as float[] (no boxing of every value)
        Dataset<ItemVector> vectors = embeddings.select("item", "vector").as(Encoders.bean(ItemVector.class));
        JavaRDD<Row> rows = vectors.javaRDD().mapPartitions(partition -> new Iterator<Row>() {
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

    /** One row of an embeddings table, as Spark's bean encoder fills it. */
    public static final class ItemVector implements java.io.Serializable {
        private String item;
        private float[] vector;

        public String getItem() {
            return item;
        }

        public void setItem(String item) {
            this.item = item;
        }

        public float[] getVector() {
            return vector;
        }

        public void setVector(float[] vector) {
            this.vector = vector;
        }
    }

    private static Iterator<Row> assignBatch(Iterator<ItemVector> partition, String folder, int dimension, int batch, String source) {
        List<String> items = new ArrayList<>(batch);
        float[] values = new float[batch * dimension];
        while (items.size() < batch && partition.hasNext()) {
            ItemVector r = partition.next();
            String item = r.getItem();
            float[] vector = r.getVector();
            if (item == null || vector == null) {
                throw new InputFileException(Path.of(source), "has a row without an item or a vector (item " + item + ")");
            }
            if (vector.length != dimension) {
                throw new InputFileException(Path.of(source), "item " + item + ": vector has " + vector.length + " values, the others " + dimension);
            }
            for (int d = 0; d < dimension; d++) {
                if (!Float.isFinite(vector[d])) {
                    throw new InputFileException(Path.of(source), "item " + item + ": vector[" + d + "] = " + vector[d] + " is not a finite number");
                }
            }
            System.arraycopy(vector, 0, values, items.size() * dimension, dimension);
            items.add(item);
        }
        Tokenizer tokenizer = tokenizer(folder);
        Sid[] sids;
        synchronized (tokenizer) {
            sids = tokenizer.assign(Embeddings.of(Arrays.copyOf(values, items.size() * dimension), items.size(), dimension));
        }
        List<Row> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(RowFactory.create(items.get(i), Arrays.stream(sids[i].codes()).boxed().toArray(Integer[]::new)));
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

    /** The assigned codes as a SID table of {@code folder}'s tokenizer's shape, rows in item-id order. */
    public static SidTable table(Dataset<Row> codes, String folder) {
        List<Row> rows = new ArrayList<>(codes.collectAsList());
        rows.sort(java.util.Comparator.comparing(r -> r.getString(0)));
        List<String> items = new ArrayList<>(rows.size());
        Sid[] sids = new Sid[rows.size()];
        for (int i = 0; i < sids.length; i++) {
            items.add(rows.get(i).getString(0));
            sids[i] = Sid.of(rows.get(i).<Integer>getList(1).stream().mapToInt(Integer::intValue).toArray());
        }
        return new SidTable(items, sids, tokenizer(folder).shape());
    }
}
