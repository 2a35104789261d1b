package io.quasid.spi;

import com.google.inject.Module;

/**
 * The {@link java.util.ServiceLoader} entry point of a plugin jar (listed in
 * {@code META-INF/services/io.quasid.spi.Plugin}). Its module binds losses, pair masks and tokenizer
 * factories through {@link Extensions}, and its immutable config, which a host may override.
 */
public interface Plugin {
    /** Unique name, used to select the plugin ({@code --plugins quasid}). */
    String name();

    /** The plugin's version; by default the {@code Implementation-Version} of its jar's manifest, else {@code dev}. */
    default String version() {
        String v = getClass().getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The Guice module with the plugin's bindings; no logic. */
    Module module();
}
