package io.quasid.plugins.quasid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class TestQuaSidConfig {
    @Test
    void theDefaultsAreThePapersOfflineSettings() {
        QuaSidConfig d = QuaSidConfig.DEFAULTS;
        assertThat(d.radius()).isEqualTo(1);
        assertThat(d.mFull()).isEqualTo(0.8);
        assertThat(d.mPartial()).isEqualTo(0.5);
        assertThat(d.lambdaFull()).isEqualTo(0.2);
        assertThat(d.lambdaPartial()).isEqualTo(0.1);
        assertThat(d.tau()).isEqualTo(0.07);
        assertThat(d.lambdaCl()).isEqualTo(0.1);
        assertThat(d.mask() && d.repulsion() && d.contrastive()).isTrue();
    }

    @Test
    void settingsOutOfRangeNameTheFieldAndRange() {
        assertThatThrownBy(() -> new QuaSidConfig(-1, 0.8, 0.5, 0.2, 0.1, 0.07, 0.1, true, true, true))
                .hasMessage("radius (R) = -1 is out of range: allowed [0, 16]");
        assertThatThrownBy(() -> new QuaSidConfig(1, 2.5, 0.5, 0.2, 0.1, 0.07, 0.1, true, true, true))
                .hasMessage("m_full = 2.5 is out of range: allowed [0.0, 2.0]");
        assertThatThrownBy(() -> new QuaSidConfig(1, 0.8, 0.5, -0.2, 0.1, 0.07, 0.1, true, true, true))
                .hasMessageContaining("lambda_full = -0.2 is out of range");
        assertThatThrownBy(() -> new QuaSidConfig(1, 0.8, 0.5, 0.2, 0.1, 0, 0.1, true, true, true))
                .hasMessage("tau = 0.0 is out of range: allowed (0, 10]");
        assertThatThrownBy(() -> new QuaSidConfig(1, 0.8, 0.5, 0.2, 0.1, 0.07, -1, true, true, true))
                .hasMessageContaining("lambda_cl = -1.0 is out of range");
    }
}
