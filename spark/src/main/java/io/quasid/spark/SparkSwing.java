package io.quasid.spark;

import io.quasid.core.pairs.SwingConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Swing pairs (METHOD.md §2) on Spark, from the training interactions only: per user the leave-one-out
 * rule of {@code core}'s {@code LeaveOneOutSplit} (oldest first by timestamp, ties by input order; a user
 * with at least three interactions leaves the last two out), then
 * {@code sim(i, j) = sum over user pairs u != v who both have i and j of w_u w_v / (alpha + |I_u & I_v|)},
 * {@code w_u = (|I_u| + alpha1)^(-beta_s)}, and each item's {@code top_k} neighbours, ties by item id.
 *
 * <p>The work is the user pairs of every item, which grow with the square of an item's users.
 * {@code userCap} > 0 keeps at most that many users of each item, chosen by a seeded hash of (item, user)
 * (the industrial remedy): a user pair then counts only the items whose kept users hold both, and
 * {@code |I_u & I_v|} becomes the number of such items. 0 (the default) keeps every user, and the pairs
 * equal {@code core}'s {@code SwingPairs} (scores up to summation order).
 */
public final class SparkSwing {
    /** The output's columns: the trigger item, its neighbour and their Swing score. */
    public static final StructType PAIRS = new StructType()
            .add("trigger", DataTypes.StringType, false)
            .add("target", DataTypes.StringType, false)
            .add("score", DataTypes.DoubleType, false);

    private SparkSwing() {}

    /** An item of a user's training part, with the user's weight. */
    private record Held(String user, double weight) implements java.io.Serializable {}

    /**
     * The top-k Swing neighbours of every item of {@code interactions} (columns as {@link Interactions#read}
     * gives them: {@code user}, {@code item}, {@code time}, {@code order}).
     */
    public static Dataset<Row> pairs(SparkSession spark, Dataset<Row> interactions, SwingConfig config, int userCap, long seed) {
        double alpha = config.alpha();
        double alpha1 = config.alpha1();
        double betaS = config.betaS();
        int k = config.topK();
        // per user: the distinct items of the training part, sorted, and the user's weight
        JavaPairRDD<String, String[]> training = interactions.javaRDD()
                .mapToPair(r -> new Tuple2<>(r.getString(0), new Object[] {r.getString(1), r.getDouble(2), r.getLong(3)}))
                .groupByKey()
                .mapValues(SparkSwing::trainingItems)
                .filter(t -> t._2().length > 0);
        JavaPairRDD<String, Held> usersOfItems = training.flatMapToPair(t -> {
            double w = Math.pow(t._2().length + alpha1, -betaS);
            List<Tuple2<String, Held>> out = new ArrayList<>(t._2().length);
            for (String item : t._2()) {
                out.add(new Tuple2<>(item, new Held(t._1(), w)));
            }
            return out.iterator();
        });
        // every pair of users (u < v) an item holds, with the item: grouped, the items both users hold
        JavaPairRDD<Tuple2<String, String>, Tuple2<Double, List<String>>> userPairs = usersOfItems.groupByKey()
                .flatMapToPair(t -> {
                    List<Held> users = new ArrayList<>();
                    t._2().forEach(users::add);
                    if (userCap > 0 && users.size() > userCap) {
                        users.sort(Comparator.comparingLong(h -> hash(seed, t._1(), h.user())));
                        users = users.subList(0, userCap);
                    }
                    users.sort(Comparator.comparing(Held::user));
                    List<Tuple2<Tuple2<String, String>, Tuple2<Double, List<String>>>> out = new ArrayList<>();
                    for (int a = 0; a < users.size(); a++) {
                        for (int b = a + 1; b < users.size(); b++) {
                            out.add(new Tuple2<>(new Tuple2<>(users.get(a).user(), users.get(b).user()),
                                    new Tuple2<>(users.get(a).weight() * users.get(b).weight(), List.of(t._1()))));
                        }
                    }
                    return out.iterator();
                })
                .reduceByKey((x, y) -> {
                    List<String> both = new ArrayList<>(x._2().size() + y._2().size());
                    both.addAll(x._2());
                    both.addAll(y._2());
                    return new Tuple2<>(x._1(), both);
                });
        // both orders of a user pair contribute the same term to every ordered pair of their common items
        JavaPairRDD<Tuple2<String, String>, Double> sim = userPairs
                .filter(t -> t._2()._2().size() >= 2)
                .flatMapToPair(t -> {
                    List<String> common = t._2()._2();
                    double term = 2 * t._2()._1() / (alpha + common.size());
                    List<Tuple2<Tuple2<String, String>, Double>> out = new ArrayList<>(common.size() * (common.size() - 1));
                    for (String a : common) {
                        for (String b : common) {
                            if (!a.equals(b)) {
                                out.add(new Tuple2<>(new Tuple2<>(a, b), term));
                            }
                        }
                    }
                    return out.iterator();
                })
                .reduceByKey(Double::sum);
        JavaRDD<Row> rows = sim.mapToPair(t -> new Tuple2<>(t._1()._1(), new Tuple2<>(t._1()._2(), t._2())))
                .groupByKey()
                .flatMap(t -> {
                    List<Tuple2<String, Double>> neighbours = new ArrayList<>();
                    t._2().forEach(neighbours::add);
                    neighbours.sort(BEST_FIRST);
                    List<Row> out = new ArrayList<>(Math.min(k, neighbours.size()));
                    for (Tuple2<String, Double> n : neighbours.subList(0, Math.min(k, neighbours.size()))) {
                        out.add(RowFactory.create(t._1(), n._1(), n._2()));
                    }
                    return out.iterator();
                });
        return spark.createDataFrame(rows, PAIRS);
    }

    private static final Comparator<Tuple2<String, Double>> BEST_FIRST = (x, y) -> x._2().equals(y._2()) ? x._1().compareTo(y._1())
            : Double.compare(y._2(), x._2());

    /** A user's training items: the interactions oldest first, the last two left out when there are three or more; distinct, sorted. */
    private static String[] trainingItems(Iterable<Object[]> events) {
        List<Object[]> list = new ArrayList<>();
        events.forEach(list::add);
        list.sort(Comparator.<Object[]>comparingDouble(e -> (Double) e[1]).thenComparingLong(e -> (Long) e[2]));
        int n = list.size() >= 3 ? list.size() - 2 : list.size();
        String[] items = list.subList(0, n).stream().map(e -> (String) e[0]).distinct().toArray(String[]::new);
        Arrays.sort(items);
        return items;
    }

    /** A seeded 64-bit hash of (item, user): the order in which an item's users are kept under a cap. */
    static long hash(long seed, String item, String user) {
        long h = seed * 0x9E3779B97F4A7C15L;
        for (String s : new String[] {item, "\u0000", user}) {
            for (int i = 0; i < s.length(); i++) {
                h = (h ^ s.charAt(i)) * 0x100000001B3L;
            }
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h;
    }

    /** The pairs as a list, trigger then best neighbour first (for tests and small outputs). */
    static List<Row> sorted(Dataset<Row> pairs) {
        List<Row> out = new ArrayList<>(pairs.collectAsList());
        Collections.sort(out, Comparator.<Row, String>comparing(r -> r.getString(0)).thenComparing((x, y) -> Double.compare(y.getDouble(2), x.getDouble(2)))
                .thenComparing(r -> r.getString(1)));
        return out;
    }
}
