package io.quasid.core;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.quasid.spi.Settings;
import java.util.List;

/** Turns the device setting ({@code auto}, {@code cpu}, {@code gpu}) into a DJL device. */
public final class Devices {
    public static final List<String> CHOICES = List.of("auto", "cpu", "gpu");

    private Devices() {}

    /** {@code auto} picks the first GPU when the engine sees one, else the CPU; {@code gpu} fails without one. */
    public static Device resolve(String choice) {
        Settings.oneOf("device", choice, CHOICES);
        int gpus = Engine.getInstance().getGpuCount();
        return switch (choice) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (gpus == 0) {
                    throw new IllegalArgumentException("device = gpu, but the engine " + Engine.getInstance().getEngineName()
                            + " sees no GPU; use --device cpu or auto");
                }
                yield Device.gpu();
            }
            default -> gpus > 0 ? Device.gpu() : Device.cpu();
        };
    }
}
