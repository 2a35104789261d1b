package io.quasid.rqvae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quasid.spi.PairLayout;
import io.quasid.spi.PairSource;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class TestBatchPlan {
    /** One pair, (0 -> 1): a pair batch of METHOD.md's layout never sees items 2..7. */
    private static final PairSource ONE_PAIR = new PairSource() {
        @Override
        public int size() {
            return 1;
        }

        @Override
        public int trigger(int k) {
            return 0;
        }

        @Override
        public int target(int k) {
            return 1;
        }
    };

    @Test
    void pairBatchesHoldOnlyPairsByDefault() {
        BatchPlan plan = new BatchPlan(8, 4, 0, 1, Optional.of(ONE_PAIR));
        assertThat(plan.layout()).isEqualTo(PairLayout.pairs(2));
        assertThat(plan.rows(0, 0)).containsExactly(0, 0, 1, 1);
    }

    @Test
    void itemRowsFollowThePairsAndCoverTheCatalogueOncePerEpoch() {
        BatchPlan plan = new BatchPlan(8, 6, 4, 1, Optional.of(ONE_PAIR));
        assertThat(plan.layout()).isEqualTo(PairLayout.pairs(1, 4));
        assertThat(plan.stepsPerEpoch()).isEqualTo(1);
        Set<Integer> seen = new HashSet<>();
        for (int epoch = 0; epoch < 2; epoch++) {
            int[] rows = plan.rows(epoch, 0);
            assertThat(Arrays.copyOf(rows, 2)).containsExactly(0, 1);
            int[] items = Arrays.copyOfRange(rows, 2, 6);
            assertThat(Arrays.stream(items).distinct().count()).isEqualTo(4);
            Arrays.stream(items).forEach(seen::add);
        }
        assertThat(seen.size()).isGreaterThan(4); // a new permutation each epoch
    }

    @Test
    void plainBatchesIgnoreItemRows() {
        BatchPlan plan = new BatchPlan(8, 5, 2, 1, Optional.empty());
        assertThat(plan.layout()).isEqualTo(PairLayout.items(5));
        assertThat(Arrays.stream(plan.rows(0, 0)).distinct().count()).isEqualTo(5);
    }

    @Test
    void pairRowsMustComeInTwos() {
        assertThatThrownBy(() -> new BatchPlan(2048, 1024, 3, 1, Optional.of(ONE_PAIR)))
                .hasMessageContaining("batch_rows - item_rows = 1021 must be even");
    }
}
