package io.quasid.ranking.tiger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.quasid.ranking.Scored;
import io.quasid.spi.CodebookShape;
import io.quasid.spi.Sid;
import io.quasid.core.sid.SidTable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A tiny catalogue, L = 2, K = 3: items 0 and 3 share SID 1-2, items 1, 4 and 6 share SID 0-0. The model
 * is a fixed pseudo-random function of the user, the prefix and the token, log-softmax-normalised per
 * position, so every sequence's log-probability can be summed by brute force.
 */
final class TestBeamSearch {
    private static final List<String> IDS = List.of("a", "b", "c", "d", "e", "f", "g");
    private static final Sid[] SIDS = {Sid.of(1, 2), Sid.of(0, 0), Sid.of(2, 1), Sid.of(1, 2), Sid.of(0, 0), Sid.of(0, 1), Sid.of(0, 0)};
    private static final ItemTokens TOKENS = ItemTokens.of(new SidTable(IDS, SIDS, new CodebookShape(2, 3)));

    /** log p(token | user, prefix) at {@code position}, a deterministic function of its arguments. */
    private static float[] logProbabilities(int user, int[] prefix, int position) {
        int v = TOKENS.vocabulary(position);
        Random r = new Random(31L * user + 1009L * Arrays.hashCode(prefix) + position);
        double[] logits = new double[v];
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < v; t++) {
            logits[t] = r.nextGaussian() * 2;
            max = Math.max(max, logits[t]);
        }
        double sum = 0;
        for (double l : logits) {
            sum += Math.exp(l - max);
        }
        float[] out = new float[v];
        for (int t = 0; t < v; t++) {
            out[t] = (float) (logits[t] - max - Math.log(sum));
        }
        return out;
    }

    private static final BeamSearch.Scorer MODEL = (position, prefixes, parents) -> {
        float[][][] out = new float[prefixes.length][][];
        for (int u = 0; u < prefixes.length; u++) {
            out[u] = new float[prefixes[u].length][];
            for (int h = 0; h < prefixes[u].length; h++) {
                out[u][h] = logProbabilities(u, prefixes[u][h], position);
            }
        }
        return out;
    };

    private static double bruteForce(int user, int item) {
        int[] tokens = TOKENS.tokens(item);
        double sum = 0;
        for (int l = 0; l < tokens.length; l++) {
            sum += logProbabilities(user, Arrays.copyOf(tokens, l), l)[tokens[l]];
        }
        return sum;
    }

    @Test
    void itemsThatShareASidAreToldApartByTheirDeduplicationCodeInItemIdOrder() {
        assertThat(TOKENS.tokens(1)).containsExactly(0, 0, 0);
        assertThat(TOKENS.tokens(4)).containsExactly(0, 0, 1);
        assertThat(TOKENS.tokens(6)).containsExactly(0, 0, 2);
        assertThat(TOKENS.tokens(0)).containsExactly(1, 2, 0);
        assertThat(TOKENS.tokens(3)).containsExactly(1, 2, 1);
        assertThat(TOKENS.vocabulary(2)).as("the largest group").isEqualTo(3);
        ItemTokens reordered = ItemTokens.of(new SidTable(List.of("g", "b", "e"), new Sid[] {Sid.of(0, 0), Sid.of(0, 0), Sid.of(0, 0)}, new CodebookShape(2, 3)));
        assertThat(reordered.token(1, 2)).as("'b' comes first by id").isZero();
        assertThat(reordered.token(2, 2)).isEqualTo(1);
        assertThat(reordered.token(0, 2)).isEqualTo(2);
    }

    @Test
    void theTrieAllowsOnlyContinuationsOfCatalogueItems() {
        CatalogueTrie trie = new CatalogueTrie(TOKENS);
        assertThat(trie.next(0)).containsExactly(0, 1, 2);
        int one = trie.child(0, 1);
        assertThat(trie.next(one)).containsExactly(2);
        int twelve = trie.child(one, 2);
        assertThat(trie.next(twelve)).containsExactly(0, 1);
        assertThat(trie.item(trie.child(twelve, 1))).isEqualTo(3);
    }

    @Test
    void aBeamAsLargeAsTheCatalogueRanksEveryItemByItsSequenceLogProbability() {
        BeamSearch search = new BeamSearch(new CatalogueTrie(TOKENS), IDS.size());
        List<List<Scored>> lists = search.search(3, IDS.size(), MODEL);
        for (int u = 0; u < 3; u++) {
            int user = u;
            List<Integer> expected = IntStream.range(0, IDS.size()).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> bruteForce(user, i)).reversed()).toList();
            assertThat(lists.get(u)).extracting(Scored::item).containsExactlyElementsOf(expected);
            for (Scored s : lists.get(u)) {
                assertThat(s.score()).isCloseTo(bruteForce(u, s.item()), within(1e-5));
            }
        }
    }

    @Test
    void eachPrefixNamesThePrefixOfTheCallBeforeThatItExtends() {
        List<int[][][]> calls = new java.util.ArrayList<>();
        BeamSearch.Scorer recording = (position, prefixes, parents) -> {
            for (int u = 0; u < prefixes.length; u++) {
                for (int h = 0; h < prefixes[u].length; h++) {
                    if (position == 0) {
                        assertThat(parents[u][h]).isZero();
                    } else { // its tokens but the last are the prefix it names
                        assertThat(Arrays.copyOf(prefixes[u][h], position - 1)).as("user %d, prefix %d at %d", u, h, position)
                                .containsExactly(calls.get(position - 1)[u][parents[u][h]]);
                    }
                }
            }
            calls.add(prefixes);
            return MODEL.logProbabilities(position, prefixes, parents);
        };
        new BeamSearch(new CatalogueTrie(TOKENS), 2).search(3, 2, recording);
        assertThat(calls).hasSize(3);
    }

    @Test
    void everyListHoldsDistinctCatalogueItemsEvenWithASmallBeam() {
        for (int beam = 1; beam <= 4; beam++) {
            List<List<Scored>> lists = new BeamSearch(new CatalogueTrie(TOKENS), beam).search(5, 3, MODEL);
            for (List<Scored> list : lists) {
                Set<Integer> items = new HashSet<>();
                for (Scored s : list) {
                    assertThat(s.item()).isBetween(0, IDS.size() - 1);
                    assertThat(items.add(s.item())).as("distinct").isTrue();
                }
                assertThat(list).hasSize(Math.min(beam, 3));
            }
        }
    }
}
