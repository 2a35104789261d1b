package io.quasid.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.quasid.core.BeautyData;
import io.quasid.core.data.Dataset;
import io.quasid.core.data.DatasetReader;
import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.core.data.UnknownItems;
import io.quasid.core.pairs.SwingConfig;
import io.quasid.core.pairs.SwingPairs;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestSparkSwing {
    private static final SparkSession SPARK = LocalSpark.session();

    private static List<Row> swing(Path csv, SwingConfig config, int cap) {
        return swing(csv, config, cap, 3);
    }

    private static List<Row> swing(Path csv, SwingConfig config, int cap, int blocks) {
        return SparkSwing.sorted(SparkSwing.pairs(SPARK, Interactions.read(SPARK, csv.toString()), config, new SparkSwing.Caps(cap, 0, 1), blocks).pairs());
    }

    @Test
    void theBlocksOfTriggerItemsChangeNoPairAndNoScore(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("interactions.csv");
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        StringBuilder rows = new StringBuilder("user,item,timestamp\n");
        for (int u = 0; u < 300; u++) { // 300 users of 3-14 items among 40: many shared pairs
            int n = 3 + random.nextInt(12);
            for (int t = 0; t < n; t++) {
                rows.append("u").append(u).append(",i").append(random.nextInt(40)).append(',').append(t).append('\n');
            }
        }
        Files.writeString(csv, rows);
        SwingConfig everyNeighbour = new SwingConfig(1, 5, 0.3, 40); // no top-k cut, where near-equal scores could trade places
        SparkSwing.Result whole = SparkSwing.pairs(SPARK, Interactions.read(SPARK, csv.toString()), everyNeighbour, SparkSwing.Caps.NONE, 1);
        Map<String, Double> one = scores(SparkSwing.sorted(whole.pairs()));
        assertThat(whole.shippedEntries().value()).as("one block: every kept list travels once").isEqualTo(whole.keptEntries().value());
        assertThat(one).hasSizeGreaterThan(40 * 20);
        for (int blocks : new int[] {2, 7}) {
            SparkSwing.Result parts = SparkSwing.pairs(SPARK, Interactions.read(SPARK, csv.toString()), everyNeighbour, SparkSwing.Caps.NONE, blocks);
            Map<String, Double> split = scores(SparkSwing.sorted(parts.pairs()));
            // a user of 3-14 kept items among 40 reaches at most min(its items, blocks) blocks, and some reach more than one
            assertThat(parts.keptEntries().value()).isEqualTo(whole.keptEntries().value());
            assertThat(parts.shippedEntries().value()).isGreaterThan(parts.keptEntries().value()).isLessThanOrEqualTo(blocks * parts.keptEntries().value())
                    .isLessThanOrEqualTo(parts.squaredEntries().value());
            assertThat(split.keySet()).isEqualTo(one.keySet());
            one.forEach((pair, score) -> assertThat(split.get(pair)).as(pair).isCloseTo(score, within(1e-12)));
        }
    }

    private static Map<String, Double> scores(List<Row> pairs) {
        Map<String, Double> out = new HashMap<>();
        pairs.forEach(r -> out.put(r.getString(0) + " -> " + r.getString(1), r.getDouble(2)));
        return out;
    }

    @Test
    void twoUsersWhoShareTwoItemsScoreThePairByTheFormula(@TempDir Path dir) throws IOException {
        // u1 and u2 have a and b (two interactions each: all training); u3 has a alone
        Path csv = dir.resolve("interactions.csv");
        Files.writeString(csv, "user,item,timestamp\nu1,a,1\nu1,b,2\nu2,b,1\nu2,a,2\nu3,a,1\n");
        List<Row> pairs = swing(csv, SwingConfig.DEFAULTS, 0);
        double w = Math.pow(2 + 5, -0.3); // w_u = (|I_u| + alpha1)^(-beta_s)
        double expected = 2 * w * w / (1 + 2); // (u1, u2) and (u2, u1), |I_u1 & I_u2| = 2
        assertThat(pairs).hasSize(2);
        assertThat(pairs.get(0).getString(0)).isEqualTo("a");
        assertThat(pairs.get(0).getString(1)).isEqualTo("b");
        assertThat(pairs.get(0).getDouble(2)).isCloseTo(expected, within(1e-15));
        assertThat(pairs.get(1).getString(0)).isEqualTo("b");
    }

    @Test
    void theLastTwoInteractionsOfAUserWithThreeOrMoreAreNotTrainingOnes(@TempDir Path dir) throws IOException {
        // by timestamp, u1's and u2's last two items are c and d: only a and b are training items
        Path csv = dir.resolve("interactions.csv");
        Files.writeString(csv, "user,item,timestamp\nu1,d,9\nu1,a,1\nu1,c,8\nu1,b,2\nu2,a,1\nu2,b,2\nu2,c,3\nu2,d,4\n");
        List<Row> pairs = swing(csv, SwingConfig.DEFAULTS, 0);
        assertThat(pairs).extracting(r -> r.getString(0) + r.getString(1)).containsExactly("ab", "ba");
    }

    @Test
    void onAmazonBeautyThePairsAreCoresSamePairsAndScoresWithin1e9(@TempDir Path dir) throws IOException {
        Dataset beauty = new DatasetReader(UnknownItems.FAIL).read(BeautyData.dir());
        LeaveOneOutSplit split = new LeaveOneOutSplit(beauty);
        SwingPairs core = SwingPairs.of(split, SwingConfig.DEFAULTS);
        Path csv = dir.resolve("beauty.csv");
        try (Writer w = Files.newBufferedWriter(csv)) {
            w.write("user,item,timestamp\n");
            for (int u = 0; u < beauty.userCount(); u++) {
                int[] s = beauty.sequence(u);
                for (int t = 0; t < s.length; t++) {
                    w.write(beauty.user(u) + "," + beauty.catalogue().item(s[t]).id() + "," + t + "\n");
                }
            }
        }
        Map<String, Map<String, Double>> expected = new HashMap<>();
        Map<String, Double> kth = new HashMap<>();
        for (int p = 0; p < core.size(); p++) {
            String trigger = beauty.catalogue().item(core.trigger(p)).id();
            expected.computeIfAbsent(trigger, t -> new HashMap<>()).put(beauty.catalogue().item(core.target(p)).id(), (double) core.score(p));
            kth.merge(trigger, (double) core.score(p), Math::min);
        }
        Map<String, Map<String, Double>> actual = new HashMap<>();
        for (Row r : swing(csv, SwingConfig.DEFAULTS, 0, 5)) {
            actual.computeIfAbsent(r.getString(0), t -> new HashMap<>()).put(r.getString(1), r.getDouble(2));
        }
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        int tiedAtTheCut = 0;
        for (String trigger : expected.keySet()) {
            Map<String, Double> e = expected.get(trigger);
            Map<String, Double> a = actual.get(trigger);
            assertThat(a).as(trigger).hasSameSizeAs(e);
            for (Map.Entry<String, Double> n : a.entrySet()) {
                Double score = e.get(n.getKey());
                if (score == null) { // core kept another neighbour of the same score at the k-th place (ties by catalogue index, here by id)
                    assertThat(n.getValue()).as(trigger + " -> " + n.getKey()).isCloseTo(kth.get(trigger), within(1e-6 * kth.get(trigger)));
                    tiedAtTheCut++;
                } else {
                    // core keeps its scores as floats
                    assertThat(n.getValue()).as(trigger + " -> " + n.getKey()).isCloseTo(score, within(Math.max(1e-9, Math.ulp(score.floatValue()))));
                }
            }
        }
        System.out.println("Beauty Swing: " + core.size() + " pairs, " + tiedAtTheCut + " neighbours tied at the top-k cut chosen by id");
    }

    @Test
    void aUserCapKeepsTheSamePairsOnItemsWithFewerUsersAndIsSeeded(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("interactions.csv");
        StringBuilder rows = new StringBuilder("user,item,timestamp\n");
        for (int u = 0; u < 12; u++) { // every user has a then b: a and b have 12 users each
            rows.append("u").append(u).append(",a,1\n").append("u").append(u).append(",b,2\n");
        }
        Files.writeString(csv, rows);
        List<Row> all = swing(csv, SwingConfig.DEFAULTS, 0);
        List<Row> capped = swing(csv, SwingConfig.DEFAULTS, 8);
        List<Row> large = swing(csv, SwingConfig.DEFAULTS, 12);
        double w = Math.pow(2 + 5, -0.3);
        assertThat(all.get(0).getDouble(2)).isCloseTo(12 * 11 * w * w / 3, within(1e-12)); // 66 user pairs, both orders
        // each item keeps the 8 users of smallest hash(seed, item, user); a user pair counts where both items kept both users
        java.util.Set<String> keptA = kept("a", 8);
        keptA.retainAll(kept("b", 8));
        int both = keptA.size();
        assertThat(capped.get(0).getDouble(2)).isCloseTo(both * (both - 1) * w * w / 3, within(1e-12));
        assertThat(large.get(0).getDouble(2)).isEqualTo(all.get(0).getDouble(2));
        assertThat(swing(csv, SwingConfig.DEFAULTS, 8).get(0).getDouble(2)).isEqualTo(capped.get(0).getDouble(2));
    }

    @Test
    void anItemCapKeepsTheItemsOfSmallestSeededHashOfEachUserWhoseWeightStillCountsThemAll(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("interactions.csv");
        StringBuilder rows = new StringBuilder("user,item,timestamp\n");
        List<String> items = List.of("a", "b", "c", "d", "e");
        for (int u = 0; u < 12; u++) { // every user has a..e for training, then x and y held out
            for (int t = 0; t < 5; t++) {
                rows.append("u").append(u).append(',').append(items.get(t)).append(',').append(t).append('\n');
            }
            rows.append("u").append(u).append(",x,8\n").append("u").append(u).append(",y,9\n");
        }
        Files.writeString(csv, rows);
        List<Row> capped = SparkSwing.sorted(SparkSwing.pairs(SPARK, Interactions.read(SPARK, csv.toString()), new SwingConfig(1, 5, 0.3, 4),
                new SparkSwing.Caps(0, 3, 1), 2).pairs());
        List<java.util.Set<String>> kept = new ArrayList<>();
        for (int u = 0; u < 12; u++) {
            long user = SparkSwing.key("u" + u);
            kept.add(new java.util.TreeSet<>(items.stream().sorted(java.util.Comparator.comparingLong(i -> SparkSwing.hash(1, SparkSwing.key(i), user)))
                    .limit(3).toList()));
        }
        double w = Math.pow(5 + 5, -0.3); // all five training items, not the three kept
        Map<String, Double> expected = new HashMap<>();
        for (int u = 0; u < 12; u++) {
            for (int v = 0; v < 12; v++) {
                java.util.Set<String> shared = new java.util.TreeSet<>(kept.get(u));
                shared.retainAll(kept.get(v));
                for (String a : shared) {
                    for (String b : shared) {
                        if (u != v && !a.equals(b) && shared.size() >= 2) {
                            expected.merge(a + " -> " + b, w * w / (1 + shared.size()), Double::sum);
                        }
                    }
                }
            }
        }
        Map<String, Double> actual = scores(capped);
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((pair, score) -> assertThat(actual.get(pair)).as(pair).isCloseTo(score, within(1e-12)));
        assertThat(expected.values().stream().distinct().count()).as("the kept sets differ between users").isGreaterThan(1);
    }

    private static java.util.Set<String> kept(String item, int cap) {
        List<String> users = new ArrayList<>();
        for (int u = 0; u < 12; u++) {
            users.add("u" + u);
        }
        users.sort(java.util.Comparator.comparingLong(u -> SparkSwing.hash(1, SparkSwing.key(item), SparkSwing.key(u))));
        return new java.util.HashSet<>(users.subList(0, cap));
    }

    @Test
    void aTableWithoutAnItemColumnFailsNamingTheFileAndTheColumn(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("interactions.csv");
        Files.writeString(csv, "user,product\nu1,a\n");
        assertThatThrownBy(() -> Interactions.read(SPARK, csv.toString())).hasMessageContaining(csv.toString())
                .hasMessageContaining("has no column 'item'");
        Files.writeString(csv, "user,item,timestamp\nu1,a,yesterday\n");
        assertThatThrownBy(() -> Interactions.read(SPARK, csv.toString())).hasMessageContaining("timestamp yesterday");
    }
}
