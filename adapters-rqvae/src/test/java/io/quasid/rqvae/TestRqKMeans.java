package io.quasid.rqvae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.quasid.spi.Embeddings;
import io.quasid.spi.LossTerm;
import io.quasid.spi.Sid;
import io.quasid.spi.SidLoss;
import io.quasid.spi.TokenizerContext;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestRqKMeans {
    private static final Embeddings ITEMS = Fixtures.clustered(400, 8, 16, 2);
    private static final RqKMeansConfig CONFIG = new RqKMeansConfig(2, 16, 20);

    @TempDir
    Path dir;

    @Test
    void usesEveryCodeOfTheFirstLevelOnClusteredData() {
        try (RqKMeansTokenizer t = new RqKMeansFactory(CONFIG).fit(ITEMS, TokenizerContext.plain(Device.cpu(), 1))) {
            Sid[] sids = t.assign(ITEMS);
            HashSet<Integer> first = new HashSet<>();
            for (Sid s : sids) {
                first.add(s.code(0));
            }
            assertThat(first).hasSize(16);
            assertThat(new HashSet<>(List.of(sids)).size()).isGreaterThan(100);
        }
    }

    @Test
    void savedAndLoadedTokenizersAssignTheSameSids() {
        try (RqKMeansTokenizer t = new RqKMeansFactory(CONFIG).fit(ITEMS, TokenizerContext.plain(Device.cpu(), 1))) {
            t.save(dir.resolve("m"));
            try (RqKMeansTokenizer loaded = new RqKMeansFactory(RqKMeansConfig.DEFAULTS).load(dir.resolve("m"), Device.cpu())) {
                assertThat(loaded.assign(ITEMS)).containsExactly(t.assign(ITEMS));
                assertThat(loaded.shape()).isEqualTo(CONFIG.shape());
            }
        }
    }

    @Test
    void aLoadedTokenizerAssignsFromManyThreadsAtOnceAsFromOne() throws Exception {
        try (RqKMeansTokenizer t = new RqKMeansFactory(CONFIG).fit(ITEMS, TokenizerContext.plain(Device.cpu(), 1))) {
            t.save(dir.resolve("m"));
        }
        try (RqKMeansTokenizer loaded = new RqKMeansFactory(RqKMeansConfig.DEFAULTS).load(dir.resolve("m"), Device.cpu())) {
            Sid[] alone = loaded.assign(ITEMS);
            for (Sid[] round : Fixtures.assignedConcurrently(loaded, ITEMS, 4, 25)) {
                assertThat(round).containsExactly(alone);
            }
        }
    }

    @Test
    void refusesBoundLossesItCannotTrainWith() {
        SidLoss loss = new SidLoss() {
            public String name() {
                return "any";
            }

            public LossTerm compute(io.quasid.spi.TrainingBatch batch, io.quasid.spi.ValidPairs validPairs) {
                return LossTerm.of(batch.z().sum());
            }
        };
        assertThatThrownBy(() -> new RqKMeansFactory(CONFIG).fit(ITEMS, TokenizerContext.builder(Device.cpu(), 1).losses(List.of(loss)).build()))
                .hasMessageContaining("rqkmeans is not trained by gradient");
    }

    @Test
    void needsAtLeastKItems() {
        assertThatThrownBy(() -> new RqKMeansFactory(new RqKMeansConfig(1, 500, 5)).fit(ITEMS, TokenizerContext.plain(Device.cpu(), 1)))
                .hasMessageContaining("needs at least 500 items, the catalogue has 400");
    }
}
