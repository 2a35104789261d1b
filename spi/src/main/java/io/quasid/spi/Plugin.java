package io.quasid.spi;

import com.google.inject.Module;
import java.util.List;

/**
 * The {@link java.util.ServiceLoader} entry point of a plugin jar (listed in
 * {@code META-INF/services/io.quasid.spi.Plugin}). Its module binds losses, pair masks and tokenizer
 * factories through {@link Extensions}. A plugin owns its settings: it declares them as {@link ConfigScope}s
 * (a prefix, a config record, its defaults and help), the host hands each {@code prefix.key=value} setting
 * to the scope that owns the prefix, and the module is built from the parsed values.
 */
public interface Plugin {
    /** Unique name, used to select the plugin ({@code --plugins quasid}). */
    String name();

    /** The plugin's version; by default the {@code Implementation-Version} of its jar's manifest, else {@code dev}. */
    default String version() {
        String v = getClass().getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The settings this plugin owns, one scope per config record; none by default. */
    default List<ConfigScope<?>> configs() {
        return List.of();
    }

    /** The Guice module with the plugin's bindings, built from {@code configs} (one value per scope of {@link #configs()}); no logic. */
    Module module(Configs configs);
}
