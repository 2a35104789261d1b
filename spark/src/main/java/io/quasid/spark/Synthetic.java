package io.quasid.spark;

import io.quasid.core.io.AtomicFiles;
import io.quasid.core.io.ItemList;
import io.quasid.core.io.Npy;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A seeded synthetic catalogue for the scale runs, drawn in parallel (each user's or item's values from
 * a generator seeded by the seed and its index, so the data are the same however they are partitioned):
 * <ul>
 *   <li>interactions: user {@code u} has {@code max(2, floor(x_m U^(-1/2)))} interactions ({@code U}
 *   uniform in (0, 1]: a Pareto tail of exponent 2 whose mean is {@code 2 x_m}, {@code x_m} set by the
 *   requested total), at most {@code items}; each item drawn from a Zipf law of exponent {@code s} over the
 *   items by popularity rank ({@code i0} the most popular); timestamps {@code 0, 1, ...} per user;</li>
 *   <li>embeddings: item {@code i<k>}'s vector drawn from N(0, 1) in every dimension, as Parquet or as a
 *   {@code .npy} matrix with its items file.</li>
 * </ul>
 */
public final class Synthetic {
    public static final StructType INTERACTIONS = new StructType()
            .add("user", DataTypes.StringType, false)
            .add("item", DataTypes.StringType, false)
            .add("timestamp", DataTypes.LongType, false);

    private Synthetic() {}

    /** About {@code total} interactions of {@code users} users over {@code items} items, item popularity Zipf({@code s}). */
    public static Dataset<Row> interactions(SparkSession spark, long users, int items, long total, double s, long seed, int partitions) {
        double[] cdf = new double[items];
        double sum = 0;
        for (int r = 0; r < items; r++) {
            sum += Math.pow(r + 1, -s);
            cdf[r] = sum;
        }
        for (int r = 0; r < items; r++) {
            cdf[r] /= sum;
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<double[]> popularity = jsc.broadcast(cdf);
        double scale = total / (2.0 * users); // x_m of the Pareto tail: mean 2 x_m
        JavaRDD<Row> rows = spark.range(0, users, 1, partitions).javaRDD().flatMap(u -> {
            Random random = new Random(seed * 0x9E3779B97F4A7C15L + u);
            int n = (int) Math.min(items, Math.max(2, Math.floor(scale * Math.pow(1 - random.nextDouble(), -0.5))));
            double[] c = popularity.value();
            List<Row> out = new ArrayList<>(n);
            for (int t = 0; t < n; t++) {
                int r = Arrays.binarySearch(c, random.nextDouble());
                out.add(RowFactory.create("u" + u, "i" + (r < 0 ? -r - 1 : r), (long) t));
            }
            return out.iterator();
        });
        return spark.createDataFrame(rows, INTERACTIONS);
    }

    /** One {@code dimension}-d N(0, 1) vector for each of {@code items} items {@code i0, i1, ...}, in that order. */
    public static Dataset<Row> embeddings(SparkSession spark, long items, int dimension, long seed, int partitions) {
        JavaRDD<Row> rows = spark.range(0, items, 1, partitions).javaRDD().map(i -> {
            float[] v = vector(i, dimension, seed);
            Float[] boxed = new Float[dimension];
            for (int d = 0; d < dimension; d++) {
                boxed[d] = v[d];
            }
            return RowFactory.create("i" + i, boxed);
        });
        return spark.createDataFrame(rows, SparkAssign.EMBEDDINGS);
    }

    /**
     * The vectors of {@link #embeddings} (the same item, the same vector) as a {@code .npy} matrix and its items
     * file ({@link ItemList}), the rows in a random order of the items drawn with {@code seed}, so a job that sorts
     * by item does the work a real table asks of it. Written on this JVM (a {@code .npy} is one file), its rows
     * drawn on every core; both files atomically.
     */
    public static void embeddingsNpy(Path matrix, Path itemsFile, long items, int dimension, long seed) {
        io.quasid.spi.Settings.inRange("items of a .npy", items, 1, Integer.MAX_VALUE - 8);
        int n = (int) items;
        int[] order = new int[n];
        for (int r = 0; r < n; r++) {
            order[r] = r;
        }
        Random random = new Random(seed);
        for (int r = n - 1; r > 0; r--) { // Fisher-Yates
            int k = random.nextInt(r + 1);
            int t = order[r];
            order[r] = order[k];
            order[k] = t;
        }
        AtomicFiles.write(itemsFile, out -> {
            Writer text = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            for (int k : order) {
                text.write("i");
                text.write(Integer.toString(k));
                text.write('\n');
            }
            text.flush();
        });
        Npy.write(matrix, n, dimension, (from, count) -> {
            float[] values = new float[count * dimension];
            IntStream.range(0, count).parallel().forEach(r ->
                    System.arraycopy(vector(order[(int) from + r], dimension, seed), 0, values, r * dimension, dimension));
            return values;
        });
    }

    /** Item {@code i<k>}'s vector: N(0, 1) values from a generator seeded by {@code seed} and {@code k}. */
    static float[] vector(long k, int dimension, long seed) {
        Random random = new Random(seed * 0xC2B2AE3D27D4EB4FL + k);
        float[] v = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            v[d] = (float) random.nextGaussian();
        }
        return v;
    }
}
