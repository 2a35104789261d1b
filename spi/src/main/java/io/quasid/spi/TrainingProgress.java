package io.quasid.spi;

/** Where training stands: optimizer step {@code step} of {@code totalSteps} (0-based), in epoch {@code epoch} of {@code epochs}. */
public record TrainingProgress(long step, long totalSteps, int epoch, int epochs) {
    public TrainingProgress {
        Settings.atLeast("totalSteps", totalSteps, 1);
        if (step < 0 || step >= totalSteps) {
            throw new IllegalArgumentException("step = " + step + " is out of range: allowed [0, " + (totalSteps - 1) + "]");
        }
        Settings.atLeast("epochs", epochs, 1);
        Settings.inRange("epoch", epoch, 0, epochs - 1);
    }

    /** The step as a share of the run: {@code step / totalSteps}, in {@code [0, 1)}. */
    public double fraction() {
        return (double) step / totalSteps;
    }
}
