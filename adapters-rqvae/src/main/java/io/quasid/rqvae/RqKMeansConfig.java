package io.quasid.rqvae;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quasid.spi.CodebookShape;
import io.quasid.spi.Setting;
import io.quasid.spi.Settings;

/** RQ-KMeans settings (METHOD.md §1, baseline): {@code L} levels of {@code K} codes, each fitted by k-means. */
public record RqKMeansConfig(
        @Setting("L: the number of levels (codebooks)") @JsonProperty("levels") int levels,
        @Setting("K: centroids per level") @JsonProperty("codes") int codes,
        @Setting("k-means iterations per level") @JsonProperty("iterations") int iterations) {

    public static final RqKMeansConfig DEFAULTS = new RqKMeansConfig(3, 256, 25);

    public RqKMeansConfig {
        Settings.inRange("levels (L)", levels, 1, CodebookShape.MAX_LEVELS);
        Settings.inRange("codes (K)", codes, 2, 1 << 16);
        Settings.inRange("iterations", iterations, 1, 10_000);
    }

    public CodebookShape shape() {
        return new CodebookShape(levels, codes);
    }
}
