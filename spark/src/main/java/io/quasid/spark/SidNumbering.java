package io.quasid.spark;

import io.quasid.spi.Sid;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.HashPartitioner;
import org.apache.spark.Partitioner;
import org.apache.spark.RangePartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * {@code StableAssignment}'s numbering on Spark. The rows are sorted by item id (Java's {@code String} order, as
 * {@code StableAssignment} has it) under a range partitioning whose bounds are sampled from the ids alone, so
 * the sort is the job's only shuffle of whole rows and gives the CSV its order. An item's {@code d} is its SID's
 * free value (the largest published {@code d} + 1, else 0) plus its rank among the SID's rows in item-id order:
 * each partition counts its rows per SID, one shuffle of those counts (a SID that millions of items hold
 * appears once per partition, so no task holds all its rows) gives each partition the rows of each of its SIDs
 * in the partitions before it, and each partition numbers on from there.
 */
final class SidNumbering {
    private SidNumbering() {}

    /** A row of an SID table on its way through the job (a class, not a record: Kryo cannot build records). */
    static final class Entry implements Serializable {
        private static final long serialVersionUID = 1L;
        final String item;
        final Sid sid;
        /** The de-duplication code; -1 until numbered. */
        final int d;
        /** The row's line in the published table from 0; -1 for a new item. */
        final long position;

        Entry(String item, Sid sid, int d, long position) {
            this.item = item;
            this.sid = sid;
            this.d = d;
            this.position = position;
        }
    }

    /**
     * What the numbering found for one SID: whether a published item holds it, how many rows it numbered, and
     * where its rows start in each partition that holds some (partition {@code partitions[i]} numbers on from
     * {@code offsets[i]}).
     */
    static final class Group implements Serializable {
        private static final long serialVersionUID = 1L;
        final Sid sid;
        final boolean published;
        final long rows;
        final int[] partitions;
        final long[] offsets;

        Group(Sid sid, boolean published, long rows, int[] partitions, long[] offsets) {
            this.sid = sid;
            this.published = published;
            this.rows = rows;
            this.partitions = partitions;
            this.offsets = offsets;
        }
    }

    /** The numbered rows, in item-id order partition after partition, and the SIDs' groups (persisted). */
    record Numbered(JavaRDD<Entry> rows, JavaRDD<Group> groups) {}

    /** Java's order of item ids, serializable. */
    static final Comparator<String> BY_ITEM = (Comparator<String> & Serializable) String::compareTo;

    /** A range partitioning of {@code items} into about {@code partitions} ranges, its bounds sampled from the ids (one pass over them). */
    static Partitioner byItem(JavaRDD<String> items, int partitions) {
        JavaPairRDD<String, Boolean> keys = items.mapToPair(i -> new Tuple2<>(i, Boolean.TRUE));
        return new RangePartitioner<>(Math.max(1, partitions), keys.rdd(), true, scala.math.Ordering.comparatorToOrdering(BY_ITEM),
                scala.reflect.ClassTag$.MODULE$.apply(String.class));
    }

    /**
     * A range partitioning of item ids into about {@code partitions} ranges whose bounds are the quantiles of
     * {@code sample} (ids drawn uniformly from those to partition), without a pass over the ids.
     */
    static Partitioner byItem(java.util.List<String> sample, int partitions) {
        String[] sorted = sample.stream().distinct().sorted(BY_ITEM).toArray(String[]::new);
        java.util.TreeSet<String> bounds = new java.util.TreeSet<>(BY_ITEM);
        for (int i = 1; i < partitions && sorted.length > 0; i++) {
            bounds.add(sorted[(int) ((long) i * sorted.length / partitions)]);
        }
        return new ItemRanges(bounds.toArray(String[]::new));
    }

    /** Item ids by range: range {@code i} holds the ids above bound {@code i - 1} up to bound {@code i} (sorted, distinct). */
    static final class ItemRanges extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final String[] bounds;

        ItemRanges(String[] bounds) {
            this.bounds = bounds;
        }

        @Override
        public int numPartitions() {
            return bounds.length + 1;
        }

        @Override
        public int getPartition(Object key) {
            int at = Arrays.binarySearch(bounds, (String) key, BY_ITEM);
            return at >= 0 ? at : -at - 1;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ItemRanges r && Arrays.equals(bounds, r.bounds);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bounds);
        }
    }

    /** {@code rows} sorted by item id into the ranges of {@code partitioner}: equal ids are neighbours in one partition. */
    static <V> JavaPairRDD<String, V> sorted(JavaPairRDD<String, V> rows, Partitioner partitioner) {
        return rows.repartitionAndSortWithinPartitions(partitioner, BY_ITEM);
    }

    /**
     * Numbers {@code rows} (sorted by item id within each partition, partitions in item-id order, as {@link #sorted}
     * leaves them; read twice: persist them), after the largest {@code d} of each SID in {@code published}
     * ({@code null}: none). The groups are persisted; unpersist them when done.
     */
    static Numbered number(JavaRDD<Entry> rows, JavaPairRDD<Sid, Integer> published) {
        int n = rows.getNumPartitions();
        JavaPairRDD<Sid, long[]> counts = JavaPairRDD.fromJavaRDD(rows.mapPartitionsWithIndex((p, partition) -> {
            Map<Sid, long[]> bySid = new HashMap<>();
            while (partition.hasNext()) {
                bySid.computeIfAbsent(partition.next().sid, s -> new long[] {p, 0})[1]++;
            }
            List<Tuple2<Sid, long[]>> out = new ArrayList<>(bySid.size());
            bySid.forEach((sid, count) -> out.add(new Tuple2<>(sid, count)));
            return out.iterator();
        }, true));
        if (published != null) { // (-1, largest d): before every partition
            counts = counts.union(published.reduceByKey(Math::max).mapToPair(t -> new Tuple2<>(t._1(), new long[] {-1, t._2()})));
        }
        JavaRDD<Group> groups = counts.groupByKey(n).map(g -> {
            List<long[]> parts = new ArrayList<>();
            g._2().forEach(parts::add);
            parts.sort(Comparator.comparingLong(part -> part[0]));
            boolean isPublished = parts.get(0)[0] < 0;
            long next = isPublished ? parts.get(0)[1] + 1 : 0;
            int from = isPublished ? 1 : 0;
            int[] partitions = new int[parts.size() - from];
            long[] offsets = new long[partitions.length];
            long numbered = 0;
            for (int i = 0; i < partitions.length; i++) {
                long[] part = parts.get(from + i);
                partitions[i] = (int) part[0];
                offsets[i] = next;
                next += part[1];
                numbered += part[1];
            }
            return new Group(g._1(), isPublished, numbered, partitions, offsets);
        }).persist(StorageLevel.MEMORY_AND_DISK_SER());
        JavaPairRDD<Integer, Tuple2<Sid, Long>> starts = groups.flatMapToPair(g -> {
            List<Tuple2<Integer, Tuple2<Sid, Long>>> out = new ArrayList<>(g.partitions.length);
            for (int i = 0; i < g.partitions.length; i++) {
                out.add(new Tuple2<>(g.partitions[i], new Tuple2<>(g.sid, g.offsets[i])));
            }
            return out.iterator();
        }).partitionBy(new HashPartitioner(n)); // partition p: the starts of partition p's SIDs
        JavaRDD<Entry> numbered = rows.zipPartitions(starts, (partition, start) -> {
            Map<Sid, long[]> next = new HashMap<>();
            start.forEachRemaining(t -> next.put(t._2()._1(), new long[] {t._2()._2()}));
            return new Iterator<Entry>() {
                @Override
                public boolean hasNext() {
                    return partition.hasNext();
                }

                @Override
                public Entry next() {
                    Entry e = partition.next();
                    return new Entry(e.item, e.sid, Math.toIntExact(next.get(e.sid)[0]++), e.position);
                }
            };
        });
        return new Numbered(numbered, groups);
    }

    /** The first {@code levels} codes of {@code sid}. */
    static Sid prefix(Sid sid, int levels) {
        return Sid.of(Arrays.copyOf(sid.codes(), levels));
    }
}
