package io.quasid.ranking.tiger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

final class TestLearningRateSchedule {
    @Test
    void constantKeepsTheBaseRateAtEveryStep() {
        assertThat(LearningRateSchedule.CONSTANT.rate(1e-3, 0, 100)).isEqualTo(1e-3);
        assertThat(LearningRateSchedule.CONSTANT.rate(1e-3, 99, 100)).isEqualTo(1e-3);
    }

    @Test
    void cosineStartsAtTheBaseRateHalvesHalfwayAndEndsAtZero() {
        assertThat(LearningRateSchedule.COSINE.rate(2e-3, 0, 100)).isEqualTo(2e-3);
        assertThat(LearningRateSchedule.COSINE.rate(2e-3, 50, 100)).isCloseTo(1e-3, within(1e-12));
        assertThat(LearningRateSchedule.COSINE.rate(2e-3, 25, 100)).isCloseTo(1e-3 * (1 + Math.sqrt(0.5)), within(1e-12));
        assertThat(LearningRateSchedule.COSINE.rate(2e-3, 100, 100)).isCloseTo(0, within(1e-12));
        assertThat(LearningRateSchedule.COSINE.rate(2e-3, 150, 100)).as("past the end").isCloseTo(0, within(1e-12));
    }

    @Test
    void aScheduleIsNamedByItsKeyAndAnUnknownOneIsRefusedListingTheChoices() {
        assertThat(LearningRateSchedule.of("cosine")).isEqualTo(LearningRateSchedule.COSINE);
        assertThatThrownBy(() -> LearningRateSchedule.of("linear")).hasMessage("schedule = linear is not allowed: choose one of [constant, cosine]");
    }
}
