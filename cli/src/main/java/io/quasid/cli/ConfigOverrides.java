package io.quasid.cli;

import io.quasid.core.pairs.SwingConfig;
import io.quasid.core.plugin.PluginRegistry;
import io.quasid.ranking.mahout.TasteConfig;
import io.quasid.ranking.sasrec.SasRecConfig;
import io.quasid.ranking.tiger.TigerConfig;
import io.quasid.spi.ConfigScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The host's configs of a run after {@code --set scope.key=value} options, e.g. {@code --set sasrec.dim=32
 * --set swing.top_k=50}. The host owns the scopes of pair mining and of the downstream models ({@link #HOST});
 * every other scope belongs to the plugin that declares it (e.g. {@code quasid.m_full=0.7}, {@code
 * rqvae.hidden=[256,128]}), which parses and validates it when the {@link PluginRegistry} starts it. A setting
 * whose scope neither owns fails naming the scopes there are.
 */
public final class ConfigOverrides {
    /** The scopes the host owns. */
    static final List<ConfigScope<?>> HOST = List.of(
            ConfigScope.of("swing", SwingConfig.class, SwingConfig.DEFAULTS),
            ConfigScope.of("sasrec", SasRecConfig.class, SasRecConfig.DEFAULTS),
            ConfigScope.of("tiger", TigerConfig.class, TigerConfig.DEFAULTS),
            ConfigScope.of("mahout", TasteConfig.class, TasteConfig.DEFAULTS));

    private final Map<Class<?>, Record> configs;

    private ConfigOverrides(Map<Class<?>, Record> configs) {
        this.configs = configs;
    }

    /**
     * Applies {@code settings} to the host's scopes; those of the plugins on the host's classpath are checked by
     * starting them. Fails naming an unknown scope or key, or a value out of range.
     */
    public static ConfigOverrides parse(Map<String, String> settings) {
        return parse(settings, PluginRegistry.load(ConfigOverrides.class.getClassLoader(), settings));
    }

    /** Applies {@code settings} to the host's scopes; {@code plugins} (started with the same settings) own the rest. */
    public static ConfigOverrides parse(Map<String, String> settings, PluginRegistry plugins) {
        Map<String, Map<String, String>> byScope = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String key = e.getKey();
            int dot = key.indexOf('.');
            String prefix = dot < 0 ? "" : key.substring(0, dot);
            boolean host = HOST.stream().anyMatch(s -> s.prefix().equals(prefix));
            if (!host && plugins.owner(prefix).isEmpty()) {
                TreeSet<String> known = new TreeSet<>(plugins.prefixes());
                HOST.forEach(s -> known.add(s.prefix()));
                throw new IllegalArgumentException("--set " + key + ": unknown setting; use <scope>.<key> with a scope of " + known
                        + " (a plugin's scopes are there when its jar is installed)");
            }
            if (host) {
                byScope.computeIfAbsent(prefix, p -> new LinkedHashMap<>()).put(key.substring(dot + 1), e.getValue());
            }
        }
        Map<Class<?>, Record> configs = new LinkedHashMap<>();
        for (ConfigScope<?> scope : HOST) {
            Map<String, String> own = byScope.getOrDefault(scope.prefix(), Map.of());
            try {
                configs.put(scope.type(), scope.parse(own));
            } catch (IllegalArgumentException e) {
                List<String> given = new ArrayList<>();
                own.forEach((k, v) -> given.add(scope.prefix() + "." + k + "=" + v));
                throw new IllegalArgumentException("--set " + String.join(" ", given) + ": " + e.getMessage(), e);
            }
        }
        return new ConfigOverrides(configs);
    }

    /** The host config of {@code type}: as overridden, else its defaults. */
    public <T> T get(Class<T> type) {
        Record value = configs.get(type);
        if (value == null) {
            throw new IllegalArgumentException(type.getName() + " is not a host config; the host's are " + HOST);
        }
        return type.cast(value);
    }
}
