package io.quasid.ab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.quasid.ranking.sasrec.SasRecModel;
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
    void concurrentRequestsGetTheScoresOfTheirOwnHistory() throws Exception {
        try (SasRecModel model = SasRecModel.load(dir.resolve("model-control"), Device.cpu());
             BatchScorer scorer = new BatchScorer(model, "test")) {
            List<int[]> histories = new ArrayList<>();
            for (int h = 0; h < 200; h++) {
                histories.add(new int[] {6 + h % 24, 6 + (h + 1) % 24, 6 + (h * 7) % 24});
            }
            float[][] alone = model.servingScores(histories);
            ExecutorService clients = Executors.newFixedThreadPool(16);
            try {
                List<Future<float[]>> answers = new ArrayList<>();
                for (int[] history : histories) {
                    answers.add(clients.submit(() -> scorer.score(history)));
                }
                for (int h = 0; h < histories.size(); h++) {
                    float[] got = answers.get(h).get();
                    for (int i = 0; i < got.length; i++) {
                        assertThat(got[i]).as("history %d, item %d", h, i).isCloseTo(alone[h][i], org.assertj.core.api.Assertions.within(1e-4f));
                    }
                }
            } finally {
                clients.shutdown();
            }
        }
    }

    @Test
    void aClosedScorerRefusesRequests() throws Exception {
        try (SasRecModel model = SasRecModel.load(dir.resolve("model-control"), Device.cpu())) {
            BatchScorer scorer = new BatchScorer(model, "test");
            scorer.close();
            assertThatThrownBy(() -> scorer.score(new int[] {6, 7})).hasMessageContaining("closed");
        }
    }
}
