package io.quasid.ab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;

final class TestLift {
    @Test
    void welchMatchesTheHandComputedTest() {
        double[] control = {1, 2, 3, 4};
        double[] treatment = {2, 4, 6, 8};
        Lift l = Lift.welch(control, treatment);
        // means 2.5 and 5; variances of the means 5/12 and 20/12, se = sqrt(25/12) = 1.443376;
        // df = (25/12)^2 / ((5/12)^2/3 + (20/12)^2/3) = 75/17 = 4.411765; t(0.975, 75/17) = 2.677174 (numerical
        // integration of the t density, outside this code base); so the interval is 2.5 -/+ 3.864167
        assertThat(l.difference()).isCloseTo(2.5, within(1e-12));
        assertThat(l.lift()).isCloseTo(1.0, within(1e-12));
        assertThat(l.differenceLow()).isCloseTo(-1.364167, within(1e-5));
        assertThat(l.differenceHigh()).isCloseTo(6.364167, within(1e-5));
        assertThat(l.liftLow()).isCloseTo(-1.364167 / 2.5, within(1e-5));
        assertThat(l.pValue()).isCloseTo(new TTest().tTest(control, treatment), within(1e-12));
        assertThat(l.pValue()).isCloseTo(0.1519, within(5e-4));
    }

    @Test
    void twoProportionsMatchTheHandComputedTest() {
        Lift l = Lift.proportions(50, 100, 60, 100);
        // pooled p = 0.55, se = sqrt(0.55 * 0.45 * 0.02) = 0.0703562, z = 0.1 / se = 1.42134, p = 2 * Phi(-z) = 0.15522
        assertThat(l.pValue()).isCloseTo(0.15522, within(1e-5));
        assertThat(l.lift()).isCloseTo(0.2, within(1e-12));
        double se = Math.sqrt(0.5 * 0.5 / 100 + 0.6 * 0.4 / 100);
        assertThat(l.differenceHigh() - l.differenceLow()).isCloseTo(2 * 1.959964 * se, within(1e-6));
    }

    @Test
    void anArmWithoutVarianceGivesNoTestInsteadOfAWrongOne() {
        Lift l = Lift.welch(new double[] {0, 0, 0}, new double[] {0, 0, 0});
        assertThat(l.pValue()).isNaN();
        assertThat(Lift.proportions(0, 10, 0, 10).pValue()).isNaN();
    }
}
