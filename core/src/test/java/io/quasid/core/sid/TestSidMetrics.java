package io.quasid.core.sid;

import static java.lang.Math.exp;
import static java.lang.Math.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.quasid.spi.Embeddings;
import io.quasid.spi.Sid;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class TestSidMetrics {
    private static final double EPS = 1e-12;

    /** a and b collide; c is one level from them; d and e are one level apart; K = 4. */
    private static final SidTable TABLE = SidTable.fitted(List.of("a", "b", "c", "d", "e"),
            new Sid[] {Sid.of(0, 1), Sid.of(0, 1), Sid.of(0, 2), Sid.of(3, 3), Sid.of(1, 3)});

    @Test
    void collisionRateCountsItemsBeyondTheFirstOfEachSid() {
        SidStats s = SidMetrics.compute(TABLE.withCodes(4));
        assertThat(s.items()).isEqualTo(5);
        assertThat(s.levels()).isEqualTo(2);
        assertThat(s.collisionRate()).isCloseTo(1 - 4.0 / 5, within(EPS));
        assertThat(s.maxGroup()).isEqualTo(2);
    }

    @Test
    void entropyIsOverFullSidsInNats() {
        double expected = -(0.4 * log(0.4) + 3 * 0.2 * log(0.2));
        assertThat(SidMetrics.compute(TABLE.withCodes(4)).entropyNats()).isCloseTo(expected, within(EPS));
    }

    @Test
    void perplexityUtilisationAndTopLoadArePerLevel() {
        SidStats s = SidMetrics.compute(TABLE.withCodes(4));
        double level1 = exp(-(0.6 * log(0.6) + 2 * 0.2 * log(0.2))); // codes 0,0,0,3,1
        double level2 = exp(-(2 * 0.4 * log(0.4) + 0.2 * log(0.2))); // codes 1,1,2,3,3
        assertThat(s.perplexity().get(0)).isCloseTo(level1, within(EPS));
        assertThat(s.perplexity().get(1)).isCloseTo(level2, within(EPS));
        assertThat(s.perplexityMean()).isCloseTo((level1 + level2) / 2, within(EPS));
        assertThat(s.perplexityMin()).isCloseTo(level1, within(EPS));
        assertThat(s.utilisation()).containsExactly(0.75, 0.75);
        assertThat(s.top1Load().get(0)).isCloseTo(0.6, within(EPS));
        assertThat(s.top1Load().get(1)).isCloseTo(0.4, within(EPS));
        assertThat(s.top1LoadMean()).isCloseTo(0.5, within(EPS));
    }

    @Test
    void hammingProfileCountsEachItemsNearestOtherSid() {
        assertThat(SidMetrics.compute(TABLE.withCodes(4)).hammingNearest()).containsExactly(2L, 3L, 0L);
        SidTable far = SidTable.fitted(List.of("a", "b", "f"), new Sid[] {Sid.of(0, 1, 5), Sid.of(0, 2, 5), Sid.of(2, 0, 0)});
        assertThat(SidMetrics.compute(far.withCodes(8)).hammingNearest()).containsExactly(0L, 2L, 0L, 1L);
    }

    @Test
    void hammingProfileMatchesBruteForceOnRandomTables() {
        Random random = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            int n = 2 + random.nextInt(60);
            int levels = 1 + random.nextInt(4);
            Sid[] sids = new Sid[n];
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                int[] c = new int[levels];
                for (int l = 0; l < levels; l++) {
                    c[l] = random.nextInt(3);
                }
                sids[i] = Sid.of(c);
                ids.add("i" + i);
            }
            long[] brute = new long[levels + 1];
            for (int i = 0; i < n; i++) {
                int best = levels;
                for (int j = 0; j < n; j++) {
                    if (i != j) {
                        best = Math.min(best, sids[i].hamming(sids[j]));
                    }
                }
                brute[best]++;
            }
            assertThat(SidMetrics.hammingNearest(SidTable.fitted(ids, sids))).containsExactly(brute);
        }
    }

    @Test
    void aSingleItemHasNoNearestNeighbour() {
        SidTable one = SidTable.fitted(List.of("a"), new Sid[] {Sid.of(1, 1)});
        SidStats s = SidMetrics.compute(one.withCodes(2));
        assertThat(s.hammingNearest()).containsExactly(0L, 0L, 0L);
        assertThat(s.collisionRate()).isZero();
        assertThat(s.entropyNats()).isZero();
    }

    @Test
    void entangledPairsShareMostCodesButNotTheirContent() {
        SidTable t = SidTable.fitted(List.of("a", "b", "c", "d"), new Sid[] {Sid.of(0, 1), Sid.of(0, 1), Sid.of(0, 2), Sid.of(3, 3)});
        Embeddings e = Embeddings.of(new float[][] {{1, 0}, {2, 0}, {0, 1}, {1, 1}});
        SidStats.Entanglement within1 = SidMetrics.entanglement(t, e, 1, 0.5);
        assertThat(within1.pairsWithinRadius()).isEqualTo(3); // (a,b) at H=0, (a,c) and (b,c) at H=1
        assertThat(within1.entangledPairs()).isEqualTo(2); // (a,c) and (b,c) are orthogonal
        SidStats.Entanglement collisions = SidMetrics.entanglement(t, e, 0, 0.5);
        assertThat(collisions.pairsWithinRadius()).isEqualTo(1);
        assertThat(collisions.entangledPairs()).isZero();
        assertThat(SidMetrics.entanglement(t, e, 2, 0.5).pairsWithinRadius()).isEqualTo(6);
    }

    @Test
    void rejectsACodebookSmallerThanTheCodesUsed() {
        assertThatThrownBy(() -> TABLE.withCodes(3)).hasMessageContaining("item d").hasMessageContaining("code 3 at level 1, allowed 0..2");
    }
}
