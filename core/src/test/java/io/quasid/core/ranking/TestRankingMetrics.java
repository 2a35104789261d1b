package io.quasid.core.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class TestRankingMetrics {
    private static final double EPS = 1e-12;

    @Test
    void recallCountsTargetsInTheTopKAndNdcgDiscountsTheirRank() {
        RankingMetrics m = new RankingMetrics();
        m.add(0); // first: counts for every K, gain 1
        m.add(3); // fourth: misses @3, hits @5 and @10 with gain 1/log2(5)
        m.add(9); // tenth: hits only @10, gain 1/log2(11)
        m.add(10); // eleventh: misses all
        Map<String, Double> v = m.values();
        assertThat(v.get("recall@3")).isCloseTo(1 / 4.0, within(EPS));
        assertThat(v.get("recall@5")).isCloseTo(2 / 4.0, within(EPS));
        assertThat(v.get("recall@10")).isCloseTo(3 / 4.0, within(EPS));
        double log2of5 = Math.log(5) / Math.log(2);
        double log2of11 = Math.log(11) / Math.log(2);
        assertThat(v.get("ndcg@3")).isCloseTo(1 / 4.0, within(EPS));
        assertThat(v.get("ndcg@5")).isCloseTo((1 + 1 / log2of5) / 4, within(EPS));
        assertThat(v.get("ndcg@10")).isCloseTo((1 + 1 / log2of5 + 1 / log2of11) / 4, within(EPS));
        assertThat(v.keySet()).containsExactly("recall@3", "recall@5", "recall@10", "ndcg@3", "ndcg@5", "ndcg@10");
    }

    @Test
    void theRankCountsHigherScoresAndHalfTheTies() {
        float[] scores = {0.1f, 0.9f, 0.5f, 0.5f, 0.5f, 0.7f};
        assertThat(RankingMetrics.rank(scores, 1)).isZero();
        assertThat(RankingMetrics.rank(scores, 5)).isEqualTo(1);
        // item 2 ties with two others below two higher ones: 2 + 2/2
        assertThat(RankingMetrics.rank(scores, 2)).isEqualTo(3);
        assertThat(RankingMetrics.rank(scores, 0)).isEqualTo(5);
    }

    @Test
    void mergesUsersOfSeveralParts() {
        RankingMetrics a = new RankingMetrics();
        a.add(0);
        RankingMetrics b = new RankingMetrics();
        b.add(20);
        a.addAll(b);
        assertThat(a.users()).isEqualTo(2);
        assertThat(a.values().get("recall@10")).isEqualTo(0.5);
    }

    @Test
    void anIntervalIsTheMeanPlusMinusTTimesTheStandardError() {
        Interval i = Interval.of(List.of(1.0, 2.0, 3.0));
        // sd = 1, n = 3, t(0.975, 2) = 4.302653
        assertThat(i.mean()).isEqualTo(2.0);
        assertThat(i.high() - i.mean()).isCloseTo(4.302653 / Math.sqrt(3), within(1e-5));
        assertThat(Interval.of(List.of(0.4)).low()).isEqualTo(0.4);
    }
}
