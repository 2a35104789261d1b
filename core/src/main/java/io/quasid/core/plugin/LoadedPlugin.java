package io.quasid.core.plugin;

import io.quasid.spi.PairMask;
import io.quasid.spi.SidLoss;
import io.quasid.spi.TokenizerFactory;
import java.util.List;

/** A started plugin: its name, version, where it came from, and the extensions its module bound. */
public record LoadedPlugin(String name, String version, String source, List<SidLoss> losses, List<PairMask> pairMasks,
                           List<TokenizerFactory> tokenizers) {
    public LoadedPlugin {
        losses = List.copyOf(losses);
        pairMasks = List.copyOf(pairMasks);
        tokenizers = List.copyOf(tokenizers);
    }

    /** {@code name version (source)}, as shown in messages. */
    public String describe() {
        return name + " " + version + " (" + source + ")";
    }
}
