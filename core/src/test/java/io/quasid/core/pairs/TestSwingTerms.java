package io.quasid.core.pairs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

final class TestSwingTerms {
    private static final int ITEMS = 30;
    private static final double ALPHA = 1;

    /** 80 users of 2-12 distinct items among 30, ascending: many user pairs share two or more. */
    private static int[][] users(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] itemsOf = new int[80][];
        for (int u = 0; u < itemsOf.length; u++) {
            itemsOf[u] = random.ints(2 + random.nextInt(11), 0, ITEMS).distinct().sorted().toArray();
        }
        return itemsOf;
    }

    private static double[] weights(int[][] itemsOf) {
        return Arrays.stream(itemsOf).mapToDouble(mine -> Math.pow(mine.length + 5, -0.3)).toArray();
    }

    /** METHOD.md §2 term by term: every ordered user pair with shared items S, |S| >= 2, adds w_u w_v / (alpha + |S|) to each ordered pair of S. */
    private static Map<String, Double> byTheFormula(int[][] itemsOf, double[] weight) {
        Map<String, Double> sim = new HashMap<>();
        for (int u = 0; u < itemsOf.length; u++) {
            for (int v = 0; v < itemsOf.length; v++) {
                int[] mine = itemsOf[u];
                int[] theirs = itemsOf[v];
                int[] shared = Arrays.stream(mine).filter(i -> Arrays.binarySearch(theirs, i) >= 0).toArray();
                if (u == v || shared.length < 2) {
                    continue;
                }
                for (int a : shared) {
                    for (int b : shared) {
                        if (a != b) {
                            sim.merge(a + "->" + b, weight[u] * weight[v] / (ALPHA + shared.length), Double::sum);
                        }
                    }
                }
            }
        }
        return sim;
    }

    private static Map<String, Double> byTrigger(int[][] itemsOf, int[][] usersOf, double[] weight) {
        SwingTerms terms = new SwingTerms(itemsOf, usersOf, weight, ALPHA);
        Map<String, Double> sim = new HashMap<>();
        for (int i = 0; i < ITEMS; i++) {
            int trigger = i;
            terms.ofTrigger(i, (j, score) -> assertThat(sim.put(trigger + "->" + j, score)).as("a neighbour given twice").isNull());
        }
        return sim;
    }

    @Test
    void eachTriggersNeighboursScoreAsTheFormulaSumsOverEveryUserPair() {
        int[][] itemsOf = users(3);
        double[] weight = weights(itemsOf);
        Map<String, Double> expected = byTheFormula(itemsOf, weight);
        Map<String, Double> actual = byTrigger(itemsOf, SwingTerms.usersOf(itemsOf, ITEMS), weight);
        assertThat(expected).hasSizeGreaterThan(ITEMS * 10);
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((pair, score) -> assertThat(actual.get(pair)).as(pair).isCloseTo(score, within(1e-12)));
    }

    @Test
    void anItemCountsOnlyTheUsersItsListHolds() {
        int[][] all = users(4);
        double[] weight = weights(all); // w_u follows all of a user's items, whichever lists keep the user
        // every item keeps the users of even number and half of the others: a user pair shares the items whose lists hold both
        int[][] usersOf = Arrays.stream(SwingTerms.usersOf(all, ITEMS))
                .map(users -> Arrays.stream(users).filter(u -> u % 2 == 0 || (u + users.length) % 4 == 1).toArray()).toArray(int[][]::new);
        int[][] kept = new int[all.length][];
        for (int u = 0; u < all.length; u++) {
            int user = u;
            kept[u] = Arrays.stream(all[u]).filter(i -> Arrays.binarySearch(usersOf[i], user) >= 0).toArray();
        }
        assertThat(Arrays.stream(kept).mapToInt(k -> k.length).sum()).isLessThan(Arrays.stream(all).mapToInt(k -> k.length).sum());
        Map<String, Double> expected = byTheFormula(kept, weight);
        Map<String, Double> actual = byTrigger(kept, usersOf, weight);
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((pair, score) -> assertThat(actual.get(pair)).as(pair).isCloseTo(score, within(1e-12)));
    }
}
