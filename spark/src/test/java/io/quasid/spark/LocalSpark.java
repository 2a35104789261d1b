package io.quasid.spark;

import org.apache.spark.sql.SparkSession;

/** One local Spark session for the tests of this module (two cores, no UI, few shuffle partitions; Kryo with the
 * jobs' registrations, as the jobs use it). */
final class LocalSpark {
    private LocalSpark() {}

    static synchronized SparkSession session() {
        return SparkSession.builder().master("local[2]").appName("quasid tests").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4").config("spark.default.parallelism", "4")
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrator", KryoRegistrations.class.getName()).config("spark.kryo.referenceTracking", "false").getOrCreate();
    }
}
