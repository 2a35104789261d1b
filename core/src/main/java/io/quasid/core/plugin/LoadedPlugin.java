package io.quasid.core.plugin;

import io.quasid.spi.ConfigScope;
import io.quasid.spi.PairMask;
import io.quasid.spi.SidLoss;
import io.quasid.spi.TokenizerFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A started plugin: its name, version, where it came from, its config scopes with the values it started with
 * (by prefix), and the extensions its module bound.
 */
public record LoadedPlugin(String name, String version, String source, List<ConfigScope<?>> scopes, Map<String, Record> configs,
                           List<SidLoss> losses, List<PairMask> pairMasks, List<TokenizerFactory> tokenizers) {
    public LoadedPlugin {
        scopes = List.copyOf(scopes);
        configs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(configs));
        losses = List.copyOf(losses);
        pairMasks = List.copyOf(pairMasks);
        tokenizers = List.copyOf(tokenizers);
    }

    /** The settings this plugin started with: for each scope, {@code prefix.key} to value, in the records' order. */
    public Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        for (ConfigScope<?> scope : scopes) {
            values(scope, configs.get(scope.prefix())).forEach((k, v) -> settings.put(scope.prefix() + "." + k, v));
        }
        return settings;
    }

    private static <T extends Record> Map<String, Object> values(ConfigScope<T> scope, Record config) {
        return scope.values(scope.type().cast(config));
    }

    /** {@code name version (source)}, as shown in messages. */
    public String describe() {
        return name + " " + version + " (" + source + ")";
    }
}
