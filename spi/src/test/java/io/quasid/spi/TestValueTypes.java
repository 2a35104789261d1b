package io.quasid.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.FloatBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class TestValueTypes {
    @Test
    void anSidIsImmutableAndComparesByCodes() {
        int[] codes = {1, 2, 3};
        Sid sid = Sid.of(codes);
        codes[0] = 9;
        sid.codes()[1] = 9;
        assertThat(sid).isEqualTo(Sid.of(1, 2, 3)).hasToString("1-2-3");
        assertThat(sid.hamming(Sid.of(1, 0, 0))).isEqualTo(2);
        assertThatThrownBy(() -> Sid.of(1, -1)).hasMessageContaining("level 2 is negative");
    }

    @Test
    void sidsOfSmallCodesHaveDistinctHashCodes() {
        Set<Integer> hashes = new HashSet<>();
        int sids = 0;
        for (int a = 0; a < 64; a++) {
            for (int b = 0; b < 64; b++) {
                for (int c = 0; c < 64; c++) {
                    hashes.add(Sid.of(a, b, c).hashCode());
                    sids++;
                }
            }
        }
        assertThat(hashes).as("distinct hash codes of %d SIDs (Arrays.hashCode gives 62,560)", sids).hasSizeGreaterThan(sids - 10);
        assertThat(Sid.of(1, 2, 31).hashCode()).isEqualTo(Sid.of(1, 2, 31).hashCode()).isNotEqualTo(Sid.of(1, 3, 0).hashCode());
    }

    @Test
    void aCodebookShapeValidatesLevelsAndCodes() {
        assertThatThrownBy(() -> new CodebookShape(0, 256)).hasMessageContaining("levels (L) = 0 is out of range: allowed [1, 16]");
        assertThatThrownBy(() -> new CodebookShape(3, 1)).hasMessageContaining("codes (K) = 1 is out of range");
        assertThatThrownBy(() -> new CodebookShape(2, 4).requireFits(Sid.of(1, 4))).hasMessageContaining("code 4 at level 2");
    }

    @Test
    void embeddingsRejectNonFiniteValuesAndRaggedRows() {
        assertThatThrownBy(() -> Embeddings.of(new float[][] {{1, 2}, {3, Float.NaN}})).hasMessageContaining("row 1, column 1 is NaN");
        assertThatThrownBy(() -> Embeddings.of(new float[][] {{1, 2}, {3}})).hasMessageContaining("row 1 has 1 values, row 0 has 2");
        assertThatThrownBy(() -> Embeddings.of(new float[][] {{1, 2}}).requireDimension(3, "rqvae"))
                .hasMessageContaining("rqvae expects embeddings of dimension 3, got 2");
    }

    @Test
    void embeddingsCopyTheirInput() {
        float[] data = {1, 2, 3, 4};
        Embeddings e = Embeddings.of(data, 2, 2);
        data[0] = 9;
        e.row(0)[0] = 9;
        assertThat(e.get(0, 0)).isEqualTo(1);
        assertThat(e.gather(new int[] {1, 0})).containsExactly(3, 4, 1, 2);
    }

    @Test
    void gatheringIntoABufferWritesTheSameRowsFromItsPosition() {
        Embeddings e = Embeddings.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        FloatBuffer into = FloatBuffer.allocate(7);
        into.put(0f);
        e.gather(new int[] {2, 0, 2}, into);
        assertThat(into.position()).isEqualTo(7);
        assertThat(into.array()).containsExactly(0, 5, 6, 1, 2, 5, 6);
    }

    @Test
    void aPairLayoutPutsTargetsBRowsAfterTheirTriggers() {
        PairLayout pairs = PairLayout.pairs(3);
        assertThat(pairs.rows()).isEqualTo(6);
        assertThat(pairs.partner(0)).isEqualTo(3);
        assertThat(pairs.partner(5)).isEqualTo(2);
        assertThat(PairLayout.items(4).partner(1)).isEqualTo(-1);
        assertThatThrownBy(() -> new PairLayout(3, 2)).hasMessageContaining("has at least 4 rows, got 3");
    }

    @Test
    void itemRowsAfterThePairsHaveNoPartner() {
        PairLayout layout = PairLayout.pairs(2, 3);
        assertThat(layout.rows()).isEqualTo(7);
        assertThat(layout.partner(1)).isEqualTo(3);
        assertThat(layout.partner(3)).isEqualTo(1);
        assertThat(layout.partner(4)).isEqualTo(-1);
        assertThat(layout.partner(6)).isEqualTo(-1);
    }

    @Test
    void progressIsTheShareOfStepsDone() {
        assertThat(new TrainingProgress(25, 100, 1, 4).fraction()).isEqualTo(0.25);
        assertThatThrownBy(() -> new TrainingProgress(100, 100, 0, 1)).hasMessageContaining("step = 100 is out of range");
    }

    @Test
    void aContextRefusesAPairLossWithoutPairs() {
        SidLoss pairLoss = new SidLoss() {
            public String name() {
                return "needs.pairs";
            }

            public boolean requiresPairs() {
                return true;
            }

            public LossTerm compute(TrainingBatch batch, io.quasid.spi.ValidPairs validPairs) {
                throw new UnsupportedOperationException();
            }
        };
        assertThatThrownBy(() -> TokenizerContext.builder(ai.djl.Device.cpu(), 1).losses(List.of(pairLoss)).build())
                .hasMessageContaining("loss 'needs.pairs' trains on item pairs, but no pair source is bound");
    }

    @Test
    void settingsNameTheFieldAndRange() {
        assertThatThrownBy(() -> Settings.inRange("beta", 1.5, 0, 1)).hasMessage("beta = 1.5 is out of range: allowed [0.0, 1.0]");
        assertThatThrownBy(() -> Settings.oneOf("device", "tpu", List.of("auto", "cpu", "gpu")))
                .hasMessage("device = tpu is not allowed: choose one of [auto, cpu, gpu]");
        assertThat(Settings.name("plugin name", "quasid")).isEqualTo("quasid");
    }
}
