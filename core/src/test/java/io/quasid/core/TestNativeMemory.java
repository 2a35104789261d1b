package io.quasid.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class TestNativeMemory {
    @Test
    void glibcOnLinuxTakesTheAllocatorSettings() {
        org.junit.jupiter.api.Assumptions.assumeTrue(com.sun.jna.Platform.isLinux());
        assertThat(NativeMemory.tune()).isTrue();
        assertThat(NativeMemory.tune()).as("a second call").isTrue();
    }

    @Test
    void aSettingOtherThanTunedOrDefaultFailsNamingTheProperty() {
        System.setProperty(NativeMemory.PROPERTY, "fast");
        try {
            assertThatThrownBy(NativeMemory::tune).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(NativeMemory.PROPERTY).hasMessageContaining("fast");
        } finally {
            System.clearProperty(NativeMemory.PROPERTY);
        }
    }
}
