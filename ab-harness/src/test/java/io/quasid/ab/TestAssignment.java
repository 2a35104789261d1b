package io.quasid.ab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

final class TestAssignment {
    private static Experiment experiment(String salt, double split) {
        return new Experiment("e", Path.of("data"), salt, split, new Experiment.Arm(Path.of("a")), new Experiment.Arm(Path.of("b")));
    }

    @Test
    void aUserAlwaysSeesTheSameArm() {
        Experiment e = experiment("s1", 0.5);
        for (int u = 0; u < 1000; u++) {
            assertThat(Assignment.arm(e, "user" + u)).isEqualTo(Assignment.arm(experiment("s1", 0.5), "user" + u));
        }
    }

    @Test
    void theTreatmentShareIsNearTheSplitOnAHundredThousandIds() {
        for (double split : new double[] {0.1, 0.5, 0.8}) {
            Experiment e = experiment("s1", split);
            long treated = java.util.stream.IntStream.range(0, 100_000).filter(u -> Assignment.arm(e, "u" + u).equals(Experiment.TREATMENT)).count();
            // binomial standard deviation at n = 100k is at most 0.0016: allow about four of them
            assertThat(treated / 100_000.0).as("split %s", split).isCloseTo(split, org.assertj.core.data.Offset.offset(0.0065));
        }
    }

    @Test
    void anotherSaltReshufflesUsers() {
        long same = java.util.stream.IntStream.range(0, 10_000)
                .filter(u -> Assignment.arm(experiment("s1", 0.5), "u" + u).equals(Assignment.arm(experiment("s2", 0.5), "u" + u))).count();
        assertThat(same / 10_000.0).isBetween(0.45, 0.55);
    }
}
