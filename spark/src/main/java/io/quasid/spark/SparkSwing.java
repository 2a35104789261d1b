package io.quasid.spark;

import io.quasid.core.pairs.SwingConfig;
import io.quasid.core.pairs.SwingTerms;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.HashPartitioner;
import org.apache.spark.Partitioner;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
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
     * gives them: {@code user}, {@code item}, {@code time}, {@code order}), computed on the executors in
     * {@code blocks} blocks of users (0: four per core of the default parallelism); the driver holds no
     * index. Users are numbered in id order and items in id order (so a tie of scores goes to the smaller
     * id); each item's user list (capped) is built by one sort of the training interactions by item. A
     * block receives its users' item lists and the user lists of the items they touch, with those users'
     * weights (each list travels once per block that touches it: at most {@code blocks} times the training
     * interactions), and runs {@code core}'s {@link SwingTerms} for its users: count the items each later
     * user shares with them, and add every pair with two or more to the ordered pairs of their common
     * items. So only the scores travel from the blocks (summed per item pair), not the user pairs, most of
     * which share one item.
     */
    public static Dataset<Row> pairs(SparkSession spark, Dataset<Row> interactions, SwingConfig config, int userCap, long seed, int blocks) {
        return pairs(spark, interactions, config, userCap, seed, blocks, ScoresOfBlock.SUMS);
    }

    /** {@link #pairs} holding at most {@code sums} item pairs' sums at a time in a block. */
    static Dataset<Row> pairs(SparkSession spark, Dataset<Row> interactions, SwingConfig config, int userCap, long seed, int blocks, int sums) {
        double alpha = config.alpha();
        double alpha1 = config.alpha1();
        double betaS = config.betaS();
        int k = config.topK();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int b = blocks > 0 ? blocks : 4 * jsc.defaultParallelism();
        // each user's training items (distinct, sorted), users sorted by id and numbered in that order
        JavaRDD<User> users = interactions.javaRDD()
                .mapToPair(r -> new Tuple2<>(r.getString(0), new Event(r.getString(1), r.getDouble(2), r.getLong(3))))
                .sortByKey()
                .mapPartitions(partition -> runs(partition, SparkSwing::trainingUser))
                .zipWithIndex()
                .map(t -> {
                    User u = t._1();
                    u.number = Math.toIntExact(t._2());
                    u.weight = Math.pow(u.items.length + alpha1, -betaS);
                    return u;
                })
                .persist(StorageLevel.MEMORY_AND_DISK());
        // each item's users (at most userCap of them, by the seeded hash), items sorted by id and numbered in that order
        JavaPairRDD<String, ItemUsers> items = users
                .flatMapToPair(u -> Arrays.stream(u.items).map(i -> new Tuple2<>(i, new Member(u.number, u.weight, u.items.length, u.key))).iterator())
                .sortByKey()
                .mapPartitions(partition -> runs(partition, (String item, List<Member> members) -> itemUsers(item, members, userCap, seed)))
                .zipWithIndex()
                .mapToPair(t -> {
                    t._1().number = Math.toIntExact(t._2());
                    return new Tuple2<>(t._1().item, t._1());
                })
                .persist(StorageLevel.MEMORY_AND_DISK());
        // block of user u: u mod b; each block gets the user lists of the items its users touch
        JavaPairRDD<Integer, ItemUsers> lists = users
                .flatMapToPair(u -> Arrays.stream(u.items).map(i -> new Tuple2<>(i, u.number % b)).iterator())
                .distinct()
                .join(items)
                .mapToPair(t -> new Tuple2<>(t._2()._1(), t._2()._2()));
        int parts = Math.max(b, jsc.defaultParallelism());
        Partitioner byTrigger = new Partitioner() { // an item's pairs meet in one partition: its top k need no further shuffle
            @Override
            public int numPartitions() {
                return parts;
            }

            @Override
            public int getPartition(Object key) {
                return (int) (((Long) key >>> 32) % parts);
            }
        };
        JavaRDD<Row> best = users.mapToPair(u -> new Tuple2<>(u.number % b, u))
                .cogroup(lists, new HashPartitioner(b))
                .flatMapToPair(t -> new ScoresOfBlock(t._2()._1(), t._2()._2(), alpha, sums))
                .reduceByKey(byTrigger, Double::sum)
                .mapPartitions(partition -> {
                    Map<Integer, List<Tuple2<Integer, Double>>> byItem = new HashMap<>();
                    partition.forEachRemaining(t -> byItem.computeIfAbsent((int) (t._1() >>> 32), a -> new ArrayList<>())
                            .add(new Tuple2<>((int) (t._1() & 0xFFFFFFFFL), t._2())));
                    List<Row> out = new ArrayList<>();
                    byItem.forEach((a, neighbours) -> {
                        neighbours.sort(BEST_FIRST); // numbers follow ids: a tie goes to the smaller id
                        neighbours.subList(0, Math.min(k, neighbours.size())).forEach(n -> out.add(RowFactory.create(a, n._1(), n._2())));
                    });
                    return out.iterator();
                });
        Dataset<Row> numbered = spark.createDataFrame(best, new StructType().add("a", DataTypes.IntegerType, false)
                .add("b", DataTypes.IntegerType, false).add("score", DataTypes.DoubleType, false));
        Dataset<Row> names = spark.createDataFrame(items.map(t -> RowFactory.create(t._2().number, t._1())),
                new StructType().add("number", DataTypes.IntegerType, false).add("name", DataTypes.StringType, false));
        Dataset<Row> triggers = names.toDF("a", "trigger");
        Dataset<Row> targets = names.toDF("b", "target");
        Dataset<Row> rows = numbered.join(triggers, "a").join(targets, "b").select("trigger", "target", "score");
        return spark.createDataFrame(rows.javaRDD(), PAIRS);
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

    /** A user with training items: number (id order), the cap's key of the id, {@code w_u}, and the distinct items, sorted. */
    private static final class User implements java.io.Serializable {
        int number;
        long key;
        double weight;
        String[] items;
    }

    /** One of an item's users: number, {@code w_u}, number of items and the cap's key of the id. */
    private static final class Member implements java.io.Serializable {
        final int user;
        final double weight;
        final int items;
        final long key;

        Member(int user, double weight, int items, long key) {
            this.user = user;
            this.weight = weight;
            this.items = items;
            this.key = key;
        }
    }

    /** An item (number: id order) and the users it counts, ascending, with their weights and numbers of items. */
    private static final class ItemUsers implements java.io.Serializable {
        String item;
        int number;
        int[] users;
        double[] weights;
        int[] counts;
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

    /** A user with its training items, from all its events; null when it has none. */
    private static User trainingUser(String id, List<Event> events) {
        String[] mine = trainingItems(events);
        if (mine.length == 0) {
            return null;
        }
        User u = new User();
        u.key = key(id);
        u.items = mine;
        return u;
    }

    /** An item with its users: at most {@code cap} (0: all) of smallest seeded hash, ascending. */
    private static ItemUsers itemUsers(String item, List<Member> members, int cap, long seed) {
        List<Member> kept = members;
        if (cap > 0 && members.size() > cap) {
            long itemKey = key(item);
            kept = new ArrayList<>(members);
            kept.sort(Comparator.<Member>comparingLong(m -> hash(seed, itemKey, m.key)).thenComparingInt(m -> m.user));
            kept = kept.subList(0, cap);
        }
        kept.sort(Comparator.comparingInt(m -> m.user));
        ItemUsers i = new ItemUsers();
        i.item = item;
        i.users = kept.stream().mapToInt(m -> m.user).toArray();
        i.weights = kept.stream().mapToDouble(m -> m.weight).toArray();
        i.counts = kept.stream().mapToInt(m -> m.items).toArray();
        return i;
    }

    /**
     * The Swing scores of a block's users with every later user, summed per item pair in the block (so a
     * pair leaves the block once, not once per user pair), as (item pair, score). {@link SwingTerms} runs over
     * the block's own numbering: its users and every user of the item lists it received, in global order, so
     * "later" means the same. When {@code limit} pairs (default {@link #SUMS}) are held, the sums so far are
     * handed on (Spark adds the parts) and summing starts afresh.
     */
    private static final class ScoresOfBlock implements Iterator<Tuple2<Long, Double>> {
        static final int SUMS = 1 << 22;
        private final SwingTerms terms;
        private final int[] visit;
        private final int[] itemNumber;
        private final int limit;
        private final PairSums sums;
        private long[] readyKeys = new long[0];
        private double[] readyValues = new double[0];
        private int next = 0;
        private int v = 0;

        ScoresOfBlock(Iterable<User> blockUsers, Iterable<ItemUsers> lists, double alpha, int limit) {
            this.limit = limit;
            this.sums = new PairSums(limit);
            List<ItemUsers> items = new ArrayList<>();
            lists.forEach(items::add);
            Map<String, Integer> local = new HashMap<>(items.size() * 2);
            for (int i = 0; i < items.size(); i++) {
                local.put(items.get(i).item, i);
            }
            List<User> mine = new ArrayList<>();
            blockUsers.forEach(mine::add);
            // the block's user numbering: every user it meets, in global order
            int[] global = java.util.stream.IntStream.concat(items.stream().flatMapToInt(i -> Arrays.stream(i.users)),
                    mine.stream().mapToInt(u -> u.number)).sorted().distinct().toArray();
            double[] weight = new double[global.length];
            int[] itemCount = new int[global.length];
            int[][] usersOf = new int[items.size()][];
            itemNumber = new int[items.size()];
            for (int i = 0; i < items.size(); i++) {
                ItemUsers list = items.get(i);
                itemNumber[i] = list.number;
                usersOf[i] = new int[list.users.length];
                for (int m = 0; m < list.users.length; m++) {
                    int u = Arrays.binarySearch(global, list.users[m]);
                    usersOf[i][m] = u;
                    weight[u] = list.weights[m];
                    itemCount[u] = list.counts[m];
                }
            }
            int[][] itemsOf = new int[global.length][];
            Arrays.fill(itemsOf, new int[0]);
            visit = new int[mine.size()];
            for (int t = 0; t < mine.size(); t++) {
                User u = mine.get(t);
                int at = Arrays.binarySearch(global, u.number);
                weight[at] = u.weight;
                itemCount[at] = u.items.length;
                itemsOf[at] = Arrays.stream(u.items).mapToInt(local::get).sorted().toArray();
                visit[t] = at;
            }
            Arrays.sort(visit);
            this.terms = new SwingTerms(itemsOf, itemCount, usersOf, weight, alpha);
        }

        @Override
        public boolean hasNext() {
            if (next == readyKeys.length && v < visit.length) {
                while (v < visit.length && sums.size() < limit) {
                    terms.ofUser(visit[v++], (a, b, term) -> sums.add((long) itemNumber[a] << 32 | itemNumber[b], term));
                }
                readyKeys = new long[sums.size()];
                readyValues = new double[sums.size()];
                sums.drain(readyKeys, readyValues);
                next = 0;
            }
            return next < readyKeys.length;
        }

        @Override
        public Tuple2<Long, Double> next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            Tuple2<Long, Double> out = new Tuple2<>(readyKeys[next], readyValues[next]);
            next++;
            return out;
        }
    }

    /** Sums per non-negative long key, in open addressing (linear probing); grows past its initial capacity as needed. */
    static final class PairSums {
        private long[] keys;
        private double[] values;
        private int size;

        PairSums(int expected) {
            int capacity = Integer.highestOneBit(Math.max(16, expected + expected / 2)) << 1;
            keys = new long[capacity];
            values = new double[capacity];
            Arrays.fill(keys, -1);
        }

        int size() {
            return size;
        }

        void add(long key, double value) {
            int mask = keys.length - 1;
            int at = (int) mix(key) & mask;
            while (keys[at] != -1 && keys[at] != key) {
                at = (at + 1) & mask;
            }
            if (keys[at] == -1) {
                keys[at] = key;
                if (++size > keys.length / 2) {
                    values[at] = value;
                    grow();
                    return;
                }
            }
            values[at] += value;
        }

        /** Moves every (key, sum) into the arrays (each {@link #size()} long) and empties the map. */
        void drain(long[] outKeys, double[] outValues) {
            int n = 0;
            for (int at = 0; at < keys.length; at++) {
                if (keys[at] != -1) {
                    outKeys[n] = keys[at];
                    outValues[n++] = values[at];
                    keys[at] = -1;
                    values[at] = 0;
                }
            }
            size = 0;
        }

        private void grow() {
            long[] oldKeys = keys;
            double[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new double[oldKeys.length * 2];
            Arrays.fill(keys, -1);
            size = 0;
            for (int at = 0; at < oldKeys.length; at++) {
                if (oldKeys[at] != -1) {
                    add(oldKeys[at], oldValues[at]);
                }
            }
        }

        private static long mix(long h) {
            h ^= h >>> 33;
            h *= 0xFF51AFD7ED558CCDL;
            h ^= h >>> 33;
            return h;
        }
    }

    private static final Comparator<Tuple2<Integer, Double>> BEST_FIRST = (x, y) -> x._2().equals(y._2()) ? x._1().compareTo(y._1())
            : Double.compare(y._2(), x._2());

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
