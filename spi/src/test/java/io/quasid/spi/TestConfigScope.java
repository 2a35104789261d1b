package io.quasid.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class TestConfigScope {
    enum Mode { FAST, CAREFUL }

    record Example(@Setting("steps per epoch") int stepCount, double rate, boolean on, String label, List<Integer> widths,
                   double[] q, Mode mode) {
        Example {
            Settings.inRange("rate", rate, 0, 1);
        }
    }

    private static final Example DEFAULTS = new Example(3, 0.5, true, "a", List.of(8, 4), new double[] {0.9}, Mode.FAST);
    private static final ConfigScope<Example> SCOPE = ConfigScope.of("example", Example.class, DEFAULTS);

    @Test
    void keysAreTheComponentsInSnakeCaseWithTheirHelp() {
        assertThat(SCOPE.keys()).containsExactly("step_count", "rate", "on", "label", "widths", "q", "mode");
        assertThat(SCOPE.help()).containsEntry("step_count", "steps per epoch").containsEntry("rate", "");
    }

    @Test
    void noSettingsGiveTheDefaults() {
        assertThat(SCOPE.parse(Map.of())).isEqualTo(DEFAULTS);
        assertThat(SCOPE.values(DEFAULTS)).containsEntry("step_count", 3).containsEntry("q", List.of(0.9)).containsEntry("mode", Mode.FAST);
    }

    @Test
    void eachValueIsReadByItsComponentsType() {
        Example e = SCOPE.parse(Map.of("step_count", "7", "rate", "1e-1", "on", "false", "label", "b c", "widths", "[16, 2]",
                "q", "[0.5,0.7]", "mode", "careful"));
        assertThat(e.stepCount()).isEqualTo(7);
        assertThat(e.rate()).isEqualTo(0.1);
        assertThat(e.on()).isFalse();
        assertThat(e.label()).isEqualTo("b c");
        assertThat(e.widths()).containsExactly(16, 2);
        assertThat(e.q()).containsExactly(0.5, 0.7);
        assertThat(e.mode()).isEqualTo(Mode.CAREFUL);
        assertThat(SCOPE.parse(Map.of("widths", "[]")).widths()).isEmpty();
    }

    @Test
    void badValuesFailNamingTheKey() {
        assertThatThrownBy(() -> SCOPE.parse(Map.of("colour", "red"))).hasMessage("'example' has no setting 'colour'; its settings are"
                + " [step_count, rate, on, label, widths, q, mode]");
        assertThatThrownBy(() -> SCOPE.parse(Map.of("step_count", "18446744073709551621"))).hasMessageContaining("example.step_count = 18446744073709551621 is not an integer");
        assertThatThrownBy(() -> SCOPE.parse(Map.of("on", "yes"))).hasMessageContaining("example.on = yes is not a boolean");
        assertThatThrownBy(() -> SCOPE.parse(Map.of("widths", "[1,2"))).hasMessageContaining("example.widths = [1,2 is a malformed list");
        assertThatThrownBy(() -> SCOPE.parse(Map.of("mode", "slow"))).hasMessageContaining("choose one of [fast, careful]");
        assertThatThrownBy(() -> SCOPE.parse(Map.of("rate", "2"))).as("the record's own check").hasMessageContaining("rate = 2.0 is out of range");
        assertThatThrownBy(() -> SCOPE.parse(Map.of("rate", "NaN"))).hasMessageContaining("rate = NaN is out of range");
    }
}
