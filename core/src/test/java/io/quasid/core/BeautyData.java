package io.quasid.core;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shared Amazon Beauty data set lives: {@code ../shared/data/amazon-beauty} beside the checkout. */
public final class BeautyData {
    private BeautyData() {}

    public static Path dir() {
        Path dir = Path.of(System.getProperty("quasid.data.dir", "../../shared/data")).resolve("amazon-beauty");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("the shared data set is missing at " + dir.toAbsolutePath()
                    + ": the checkout needs ../shared beside it");
        }
        return dir;
    }
}
