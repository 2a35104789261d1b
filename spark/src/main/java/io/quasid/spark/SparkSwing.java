package io.quasid.spark;

import io.quasid.core.pairs.SwingConfig;
import io.quasid.core.pairs.SwingTerms;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
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

    /**
     * The top-k Swing neighbours of every item of {@code interactions} (columns as {@link Interactions#read}
     * gives them: {@code user}, {@code item}, {@code time}, {@code order}). The training parts are
     * numbered and gathered on the driver into two indexes (each user's items, each item's kept users: as
     * many numbers as training interactions), broadcast; the users are then split over the tasks, and each
     * task runs {@code core}'s {@link SwingTerms} for its users: count the items each later user shares with
     * them, and add every pair with two or more to the ordered pairs of their common items. So only the
     * scores travel (summed per item pair), not the user pairs, most of which share one item.
     */
    public static Dataset<Row> pairs(SparkSession spark, Dataset<Row> interactions, SwingConfig config, int userCap, long seed) {
        double alpha = config.alpha();
        double alpha1 = config.alpha1();
        double betaS = config.betaS();
        int k = config.topK();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // per user: the distinct items of the training part, sorted
        List<Tuple2<String, String[]>> training = interactions.javaRDD()
                .mapToPair(r -> new Tuple2<>(r.getString(0), new Object[] {r.getString(1), r.getDouble(2), r.getLong(3)}))
                .groupByKey()
                .mapValues(SparkSwing::trainingItems)
                .filter(t -> t._2().length > 0)
                .collect();
        java.util.TreeSet<String> distinct = new java.util.TreeSet<>();
        training.forEach(t -> distinct.addAll(Arrays.asList(t._2())));
        String[] itemIds = distinct.toArray(String[]::new);
        Map<String, Integer> itemIndex = new HashMap<>(itemIds.length * 2);
        for (int i = 0; i < itemIds.length; i++) {
            itemIndex.put(itemIds[i], i);
        }
        int users = training.size();
        int[][] itemsOf = new int[users][];
        double[] weight = new double[users];
        for (int u = 0; u < users; u++) {
            String[] mine = training.get(u)._2();
            itemsOf[u] = new int[mine.length];
            for (int a = 0; a < mine.length; a++) {
                itemsOf[u][a] = itemIndex.get(mine[a]); // sorted ids: sorted numbers
            }
            weight[u] = Math.pow(mine.length + alpha1, -betaS);
        }
        int[][] usersOf = SwingTerms.usersOf(itemsOf, itemIds.length);
        if (userCap > 0) {
            long[] userKey = new long[users];
            for (int u = 0; u < users; u++) {
                userKey[u] = key(training.get(u)._1());
            }
            for (int i = 0; i < itemIds.length; i++) {
                if (usersOf[i].length > userCap) {
                    long itemKey = key(itemIds[i]);
                    usersOf[i] = Arrays.stream(usersOf[i]).boxed().sorted(Comparator.comparingLong(u -> hash(seed, itemKey, userKey[u])))
                            .limit(userCap).mapToInt(Integer::intValue).sorted().toArray();
                }
            }
        }
        Broadcast<int[][]> itemsOfB = jsc.broadcast(itemsOf);
        Broadcast<int[][]> usersOfB = jsc.broadcast(usersOf);
        Broadcast<double[]> weightB = jsc.broadcast(weight);
        Broadcast<String[]> ids = jsc.broadcast(itemIds);
        int tasks = Math.max(1, Math.min(users, 4 * jsc.defaultParallelism()));
        List<int[]> ranges = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            ranges.add(new int[] {(int) ((long) users * t / tasks), (int) ((long) users * (t + 1) / tasks)});
        }
        JavaPairRDD<Long, Double> sim = jsc.parallelize(ranges, tasks)
                .flatMapToPair(r -> new ScoresOfUsers(itemsOfB.value(), usersOfB.value(), weightB.value(), alpha, r[0], r[1]))
                .reduceByKey(Double::sum);
        JavaRDD<Row> rows = sim.mapToPair(t -> new Tuple2<>((int) (t._1() >>> 32), new Tuple2<>((int) (t._1() & 0xFFFFFFFFL), t._2())))
                .groupByKey()
                .flatMap(t -> {
                    String[] names = ids.value();
                    List<Tuple2<String, Double>> neighbours = new ArrayList<>();
                    t._2().forEach(n -> neighbours.add(new Tuple2<>(names[n._1()], n._2())));
                    neighbours.sort(BEST_FIRST);
                    List<Row> out = new ArrayList<>(Math.min(k, neighbours.size()));
                    for (Tuple2<String, Double> n : neighbours.subList(0, Math.min(k, neighbours.size()))) {
                        out.add(RowFactory.create(names[t._1()], n._1(), n._2()));
                    }
                    return out.iterator();
                });
        return spark.createDataFrame(rows, PAIRS);
    }

    /** The Swing terms of users {@code from .. to - 1} with every later user, as (item pair, term), one user at a time ({@link SwingTerms}). */
    private static final class ScoresOfUsers implements java.util.Iterator<Tuple2<Long, Double>> {
        private final SwingTerms terms;
        private final int to;
        private final List<Tuple2<Long, Double>> ready = new ArrayList<>();
        private int next = 0;
        private int u;

        ScoresOfUsers(int[][] itemsOf, int[][] usersOf, double[] weight, double alpha, int from, int to) {
            this.terms = new SwingTerms(itemsOf, usersOf, weight, alpha);
            this.to = to;
            this.u = from;
        }

        @Override
        public boolean hasNext() {
            while (next == ready.size() && u < to) {
                ready.clear();
                next = 0;
                terms.ofUser(u++, (a, b, term) -> ready.add(new Tuple2<>((long) a << 32 | b, term)));
            }
            return next < ready.size();
        }

        @Override
        public Tuple2<Long, Double> next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            return ready.get(next++);
        }
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

    /** A 64-bit key of a text (FNV-1a). */
    static long key(String s) {
        long h = 0xCBF29CE484222325L;
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001B3L;
        }
        return h;
    }

    /** A seeded hash of (item, user) by their {@link #key}s: the order in which an item's users are kept under a cap. */
    static long hash(long seed, long item, long user) {
        long h = (seed * 0x9E3779B97F4A7C15L) ^ (item * 0xC2B2AE3D27D4EB4FL) ^ user;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
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
