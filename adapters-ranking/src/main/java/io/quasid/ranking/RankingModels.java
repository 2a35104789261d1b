package io.quasid.ranking;

import ai.djl.Device;
import io.quasid.ranking.sasrec.SasRecModel;
import io.quasid.ranking.tiger.TigerModel;
import io.quasid.spi.Settings;
import java.nio.file.Path;
import java.util.List;

/** The kinds of saved ranking model, by the name that the CLI and experiment files use. */
public final class RankingModels {
    /** The SID-feature ranking model ({@code quasid evaluate --model sasrec}). */
    public static final String SASREC = "sasrec";
    /** The generative retriever ({@code quasid evaluate --model tiger}). */
    public static final String TIGER = "tiger";
    public static final List<String> KINDS = List.of(SASREC, TIGER);

    private RankingModels() {}

    /** Loads the model of kind {@code kind} saved in {@code dir}; fails naming the folder when it holds no such model. */
    public static RankingModel load(String kind, Path dir, Device device) {
        Settings.oneOf("kind", kind, KINDS);
        return kind.equals(TIGER) ? TigerModel.load(dir, device) : SasRecModel.load(dir, device);
    }
}
