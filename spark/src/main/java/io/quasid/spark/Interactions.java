package io.quasid.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;

import io.quasid.core.io.InputFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * An interactions table for the Spark jobs: CSV with a header, or Parquet (a file or a folder of part
 * files ending in {@code .parquet}), with columns {@code user}, {@code item} and optionally
 * {@code timestamp} (a number). Read as columns {@code user}, {@code item} (text), {@code time} (the
 * timestamp, 0 without one) and {@code order} (the input order, which breaks ties of time: for one CSV
 * file its line order).
 */
public final class Interactions {
    private Interactions() {}

    public static Dataset<Row> read(SparkSession spark, String path) {
        boolean parquet = path.endsWith(".parquet") || path.endsWith(".parquet/");
        Dataset<Row> raw = parquet ? spark.read().parquet(path) : spark.read().option("header", "true").csv(path);
        List<String> columns = Arrays.asList(raw.columns());
        for (String required : List.of("user", "item")) {
            if (!columns.contains(required)) {
                throw new InputFileException(Path.of(path), "has no column '" + required + "': an interactions table needs user, item and"
                        + " optionally timestamp; its columns are " + columns);
            }
        }
        Dataset<Row> ordered = raw.withColumn("order", monotonically_increasing_id());
        Dataset<Row> timed = columns.contains("timestamp")
                ? ordered.withColumn("time", col("timestamp").try_cast(DataTypes.DoubleType))
                : ordered.withColumn("time", lit(0.0));
        Dataset<Row> out = timed.select(col("user").cast(DataTypes.StringType), col("item").cast(DataTypes.StringType), col("time"), col("order"));
        List<Row> bad = timed.filter(col("user").isNull().or(col("item").isNull())
                .or(columns.contains("timestamp") ? col("time").isNull().or(col("time").isNaN()) : lit(false))).limit(1).collectAsList();
        if (!bad.isEmpty()) {
            Row r = bad.get(0);
            throw new InputFileException(Path.of(path), "has an interaction without a user, an item or a numeric timestamp: user "
                    + r.getAs("user") + ", item " + r.getAs("item") + (columns.contains("timestamp") ? ", timestamp " + r.getAs("timestamp") : ""));
        }
        return out;
    }
}
