package io.quasid.spark;

import io.quasid.core.pairs.SwingConfig;
import io.quasid.core.pairs.SwingTerms;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Iterator;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.HashPartitioner;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * Swing pairs (METHOD.md §2) on Spark, from the training interactions only: per user the leave-one-out
 * rule of {@code core}'s {@code LeaveOneOutSplit} (oldest first by timestamp, ties by input order; a user
 * with at least three interactions leaves the last two out), then
 * {@code sim(i, j) = sum over user pairs u != v who both have i and j of w_u w_v / (alpha + |I_u & I_v|)},
 * {@code w_u = (|I_u| + alpha1)^(-beta_s)}, and each item's {@code top_k} neighbours, ties by item id.
 *
 * <p>The work is the user pairs of every item, which grow with the square of an item's users, and what
 * travels is each user's items once per block of trigger items they reach. {@link Caps} bound both, as
 * industrial Swing jobs do: at most so many users of each item and items of each user, chosen by a seeded
 * hash of (item, user); a user pair then counts only the items whose kept users hold both, and
 * {@code |I_u & I_v|} becomes the number of such items ({@code w_u} still counts all of a user's training
 * items). Without caps (the default) the pairs equal {@code core}'s {@code SwingPairs} (scores up to
 * summation order).
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
     * gives them: {@code user}, {@code item}, {@code time}, {@code order}), computed on the executors in
     * {@code blocks} blocks of trigger items (0: four per core of the default parallelism); the driver holds no
     * index. Users are numbered in id order and items in id order (so a tie of scores goes to the smaller
     * id); each item's user list (capped) is built by one sort of the training interactions by item, and
     * from those lists each user's kept items (the items whose lists hold the user). Item {@code j} is in block
     * {@code j mod blocks}; a user with two or more kept items travels, with its kept items and {@code w_u}, to
     * every block that holds one of them (at most {@code min(kept items, blocks)} copies), so a block has every
     * user of its triggers with all their kept items and computes each trigger's whole row with {@code core}'s
     * {@link SwingTerms}: no partial sums leave it, only each trigger's top k.
     */
    public static Result pairs(SparkSession spark, Dataset<Row> interactions, SwingConfig config, Caps caps, int blocks) {
        double alpha = config.alpha();
        double alpha1 = config.alpha1();
        double betaS = config.betaS();
        int k = config.topK();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int b = blocks > 0 ? blocks : 4 * jsc.defaultParallelism();
        LongAccumulator keptEntries = spark.sparkContext().longAccumulator("kept entries");
        LongAccumulator shippedEntries = spark.sparkContext().longAccumulator("shipped entries");
        LongAccumulator squaredEntries = spark.sparkContext().longAccumulator("squared entries");
        // each user's training items (distinct, sorted), users sorted by id and numbered in that order
        JavaRDD<User> users = interactions.javaRDD()
                .mapToPair(r -> new Tuple2<>(r.getString(0), new Event(r.getString(1), r.getDouble(2), r.getLong(3))))
                .sortByKey()
                .mapPartitions(partition -> runs(partition, (String id, List<Event> events) -> trainingUser(id, events, caps)))
                .zipWithIndex()
                .map(t -> {
                    User u = t._1();
                    u.number = Math.toIntExact(t._2());
                    u.weight = Math.pow(u.count + alpha1, -betaS);
                    return u;
                })
                .persist(StorageLevel.MEMORY_AND_DISK());
        // each item's users (at most caps.users() of them, by the seeded hash), items sorted by id and numbered in that order
        JavaPairRDD<String, ItemUsers> items = users
                .flatMapToPair(u -> Arrays.stream(u.items).map(i -> new Tuple2<>(i, new Member(u.number, u.weight, u.key))).iterator())
                .sortByKey()
                .mapPartitions(partition -> runs(partition, (String item, List<Member> members) -> itemUsers(item, members, caps)))
                .zipWithIndex()
                .mapToPair(t -> {
                    t._1().number = Math.toIntExact(t._2());
                    return new Tuple2<>(t._1().item, t._1());
                })
                .persist(StorageLevel.MEMORY_AND_DISK());
        // each user's kept items, ascending, to every block that holds one of them
        JavaRDD<Row> best = items
                .flatMapToPair(t -> {
                    ItemUsers i = t._2();
                    List<Tuple2<Integer, Tuple2<Integer, Double>>> out = new ArrayList<>(i.users.length);
                    for (int m = 0; m < i.users.length; m++) {
                        out.add(new Tuple2<>(i.users[m], new Tuple2<>(i.number, i.weights[m])));
                    }
                    return out.iterator();
                })
                .groupByKey()
                .flatMapToPair(t -> {
                    Kept u = Kept.of(t._1(), t._2());
                    if (u.items.length < 2) {
                        return java.util.Collections.emptyIterator(); // in no user pair that shares two items
                    }
                    int[] to = Arrays.stream(u.items).map(j -> j % b).distinct().toArray();
                    keptEntries.add(u.items.length);
                    shippedEntries.add((long) u.items.length * to.length);
                    squaredEntries.add((long) u.items.length * u.items.length);
                    return Arrays.stream(to).mapToObj(block -> new Tuple2<>(block, u)).iterator();
                })
                .partitionBy(new HashPartitioner(b))
                .mapPartitionsWithIndex((block, partition) -> rowsOfBlock(block, b, partition, alpha, k), false);
        Dataset<Row> numbered = spark.createDataFrame(best, new StructType().add("a", DataTypes.IntegerType, false)
                .add("b", DataTypes.IntegerType, false).add("score", DataTypes.DoubleType, false));
        Dataset<Row> names = spark.createDataFrame(items.map(t -> RowFactory.create(t._2().number, t._1())),
                new StructType().add("number", DataTypes.IntegerType, false).add("name", DataTypes.StringType, false));
        Dataset<Row> triggers = names.toDF("a", "trigger");
        Dataset<Row> targets = names.toDF("b", "target");
        Dataset<Row> rows = numbered.join(triggers, "a").join(targets, "b").select("trigger", "target", "score");
        return new Result(spark.createDataFrame(rows.javaRDD(), PAIRS), keptEntries, shippedEntries, squaredEntries);
    }

    /**
     * At most {@code users} users of each item and {@code items} items of each user (0: all), those of smallest
     * seeded hash of (item, user).
     */
    public record Caps(int users, int items, long seed) implements java.io.Serializable {
        public static final Caps NONE = new Caps(0, 0, 1);

        public Caps {
            io.quasid.spi.Settings.inRange("user cap", users, 0, Integer.MAX_VALUE);
            io.quasid.spi.Settings.inRange("item cap", items, 0, Integer.MAX_VALUE);
        }
    }

    /**
     * The pairs ({@link #PAIRS}), and, once an action has computed them (an entry is counted again if a task
     * is retried): how many (user, item) entries the users of two or more kept items hold; how many travelled
     * to the blocks; and the sum over those users of their kept items squared, what would travel with as many
     * blocks as items (the most any number of blocks ships).
     */
    public record Result(Dataset<Row> pairs, LongAccumulator keptEntries, LongAccumulator shippedEntries, LongAccumulator squaredEntries) {}

    /**
     * Block {@code block}'s rows (trigger, neighbour, score) by item number: the top {@code k} of each of its
     * triggers (items {@code j} with {@code j mod blocks = block}), best first, ties by number, from the users
     * that reached it, numbered here in global order, their items in global order too.
     */
    private static Iterator<Row> rowsOfBlock(int block, int blocks, Iterator<Tuple2<Integer, Kept>> partition, double alpha, int k) {
        List<Kept> mine = new ArrayList<>();
        partition.forEachRemaining(t -> mine.add(t._2()));
        mine.sort(Comparator.comparingInt(u -> u.user));
        int[] global = mine.stream().flatMapToInt(u -> Arrays.stream(u.items)).sorted().distinct().toArray();
        int[][] itemsOf = new int[mine.size()][];
        double[] weight = new double[mine.size()];
        for (int u = 0; u < mine.size(); u++) {
            itemsOf[u] = Arrays.stream(mine.get(u).items).map(j -> Arrays.binarySearch(global, j)).toArray();
            weight[u] = mine.get(u).weight;
        }
        java.util.function.IntPredicate trigger = j -> global[j] % blocks == block;
        SwingTerms terms = new SwingTerms(itemsOf, SwingTerms.usersOf(itemsOf, global.length, trigger), weight, alpha);
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < global.length; i++) {
            if (trigger.test(i)) {
                int a = global[i];
                // local numbers follow global ones, which follow ids: a tie goes to the smaller id
                terms.bestOfTrigger(i, k, (j, score) -> out.add(RowFactory.create(a, global[j], score)));
            }
        }
        return out.iterator();
    }

    /** One interaction of a user: item, time and input order. A class, not a record: Kryo cannot build records. */
    private static final class Event implements java.io.Serializable {
        final String item;
        final double time;
        final long order;

        Event(String item, double time, long order) {
            this.item = item;
            this.time = time;
            this.order = order;
        }
    }

    /**
     * A user with training items: number (id order), the caps' key of the id, how many distinct training items, {@code w_u}, and
     * those items (at most the item cap), sorted.
     */
    private static final class User implements java.io.Serializable {
        int number;
        long key;
        int count;
        double weight;
        String[] items;
    }

    /** One of an item's users: number, {@code w_u} and the cap's key of the id. */
    private static final class Member implements java.io.Serializable {
        final int user;
        final double weight;
        final long key;

        Member(int user, double weight, long key) {
            this.user = user;
            this.weight = weight;
            this.key = key;
        }
    }

    /** An item (number: id order) and the users it counts, ascending, with their weights. */
    private static final class ItemUsers implements java.io.Serializable {
        String item;
        int number;
        int[] users;
        double[] weights;
    }

    /** A user (number), {@code w_u} and the numbers of the items whose lists hold the user, ascending. */
    private static final class Kept implements java.io.Serializable {
        int user;
        double weight;
        int[] items;

        static Kept of(int user, Iterable<Tuple2<Integer, Double>> entries) {
            Kept u = new Kept();
            u.user = user;
            List<Integer> items = new ArrayList<>();
            for (Tuple2<Integer, Double> e : entries) {
                items.add(e._1());
                u.weight = e._2();
            }
            u.items = items.stream().mapToInt(Integer::intValue).sorted().toArray();
            return u;
        }
    }

    /**
     * The runs of equal keys of a partition sorted by key (a key's rows are neighbours), each made into one
     * value by {@code group}, in key order; a run {@code group} makes null of is left out.
     */
    private static <V, R> Iterator<R> runs(Iterator<Tuple2<String, V>> sorted, java.util.function.BiFunction<String, List<V>, R> group) {
        List<R> out = new ArrayList<>();
        String current = null;
        List<V> values = new ArrayList<>();
        while (true) {
            Tuple2<String, V> next = sorted.hasNext() ? sorted.next() : null;
            if (current != null && (next == null || !next._1().equals(current))) {
                R made = group.apply(current, values);
                if (made != null) {
                    out.add(made);
                }
                values = new ArrayList<>();
            }
            if (next == null) {
                return out.iterator();
            }
            current = next._1();
            values.add(next._2());
        }
    }

    /** A user with its training items (at most the item cap of them, of smallest seeded hash), from all its events; null when it has none. */
    private static User trainingUser(String id, List<Event> events, Caps caps) {
        String[] mine = trainingItems(events);
        if (mine.length == 0) {
            return null;
        }
        User u = new User();
        u.key = key(id);
        u.count = mine.length;
        if (caps.items() > 0 && mine.length > caps.items()) {
            mine = Arrays.stream(mine).sorted(Comparator.<String>comparingLong(i -> hash(caps.seed(), key(i), u.key)).thenComparing(i -> i))
                    .limit(caps.items()).sorted().toArray(String[]::new);
        }
        u.items = mine;
        return u;
    }

    /** An item with its users: at most the user cap (0: all) of smallest seeded hash, ascending. */
    private static ItemUsers itemUsers(String item, List<Member> members, Caps caps) {
        List<Member> kept = members;
        if (caps.users() > 0 && members.size() > caps.users()) {
            long itemKey = key(item);
            kept = new ArrayList<>(members);
            kept.sort(Comparator.<Member>comparingLong(m -> hash(caps.seed(), itemKey, m.key)).thenComparingInt(m -> m.user));
            kept = kept.subList(0, caps.users());
        }
        kept.sort(Comparator.comparingInt(m -> m.user));
        ItemUsers i = new ItemUsers();
        i.item = item;
        i.users = kept.stream().mapToInt(m -> m.user).toArray();
        i.weights = kept.stream().mapToDouble(m -> m.weight).toArray();
        return i;
    }

    /** A user's training items: the interactions oldest first, the last two left out when there are three or more; distinct, sorted. */
    private static String[] trainingItems(List<Event> events) {
        List<Event> list = new ArrayList<>(events);
        list.sort(Comparator.<Event>comparingDouble(e -> e.time).thenComparingLong(e -> e.order));
        int n = list.size() >= 3 ? list.size() - 2 : list.size();
        String[] items = list.subList(0, n).stream().map(e -> e.item).distinct().toArray(String[]::new);
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
