package io.quasid.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class TestSettings {
    @Test
    void anEnumSettingIsItsConstantsNameInLowerCaseAndAnyOtherTextFailsListingTheKeys() {
        assertThat(Settings.key("unit", TimeUnit.class, "seconds")).isEqualTo(TimeUnit.SECONDS);
        assertThatThrownBy(() -> Settings.key("unit", TimeUnit.class, "SECONDS"))
                .hasMessage("unit = SECONDS is not allowed: choose one of [nanoseconds, microseconds, milliseconds, seconds, minutes, hours, days]");
    }
}
