package io.quasid.ab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import io.quasid.ranking.HistoryRule;
import io.quasid.ranking.RankingModel;
import io.quasid.ranking.RankingModels;
import io.quasid.ranking.Scored;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestBatchScorer {
    @TempDir
    static Path dir;
    static Shop shop;

    @BeforeAll
    static void createShop() throws Exception {
        shop = Shop.create(dir);
    }

    @Test
    void concurrentRequestsGetTheListsOfTheirOwnHistory() throws Exception {
        try (RankingModel model = RankingModels.load(RankingModels.SASREC, dir.resolve("model-control"), Device.cpu());
             BatchScorer scorer = new BatchScorer(model, HistoryRule.EXCLUDE, "test")) {
            List<int[]> histories = new ArrayList<>();
            for (int h = 0; h < 200; h++) {
                histories.add(new int[] {6 + h % 24, 6 + (h + 1) % 24, 6 + (h * 7) % 24});
            }
            List<List<Scored>> alone = model.recommend(histories, 10, HistoryRule.EXCLUDE);
            ExecutorService clients = Executors.newFixedThreadPool(16);
            try {
                List<Future<List<Scored>>> answers = new ArrayList<>();
                for (int h = 0; h < histories.size(); h++) {
                    int[] history = histories.get(h);
                    int k = 1 + h % 10; // batch-mates ask for different list lengths
                    answers.add(clients.submit(() -> scorer.recommend(history, k)));
                }
                for (int h = 0; h < histories.size(); h++) {
                    List<Scored> got = answers.get(h).get();
                    assertThat(got).as("history %d", h).hasSize(1 + h % 10);
                    for (int r = 0; r < got.size(); r++) {
                        assertThat(got.get(r).score()).as("history %d, rank %d", h, r).isCloseTo(alone.get(h).get(r).score(), within(1e-4));
                    }
                }
            } finally {
                clients.shutdown();
            }
        }
    }

    @Test
    void aClosedScorerRefusesRequests() throws Exception {
        try (RankingModel model = RankingModels.load(RankingModels.SASREC, dir.resolve("model-control"), Device.cpu())) {
            BatchScorer scorer = new BatchScorer(model, HistoryRule.EXCLUDE, "test");
            scorer.close();
            assertThatThrownBy(() -> scorer.recommend(new int[] {6, 7}, 5)).hasMessageContaining("closed");
        }
    }
}
