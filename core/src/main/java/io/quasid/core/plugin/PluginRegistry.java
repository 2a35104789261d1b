package io.quasid.core.plugin;

import com.google.inject.ConfigurationException;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import com.google.inject.util.Modules;
import io.quasid.spi.ConfigScope;
import io.quasid.spi.Configs;
import io.quasid.spi.Extensions;
import io.quasid.spi.PairMask;
import io.quasid.spi.Plugin;
import io.quasid.spi.Settings;
import io.quasid.spi.SidLoss;
import io.quasid.spi.TokenizerFactory;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Function;

/**
 * The installed plugins, found with {@link ServiceLoader} and started at once: each plugin's config scopes
 * parse the host's {@code prefix.key=value} settings for their prefix, and its module gets an injector of its
 * own built from those values. Settings whose prefix no plugin owns are left to the host. Duplicate names
 * (of plugins, scopes, extensions), bad settings and broken plugins fail here, at start-up, never at first use.
 */
public final class PluginRegistry {
    private final Map<String, LoadedPlugin> plugins;
    private final Map<String, TokenizerFactory> tokenizers;
    private final Map<String, LoadedPlugin> scopes;

    private PluginRegistry(Map<String, LoadedPlugin> plugins, Map<String, TokenizerFactory> tokenizers, Map<String, LoadedPlugin> scopes) {
        this.plugins = plugins;
        this.tokenizers = tokenizers;
        this.scopes = scopes;
    }

    /** Finds every plugin visible to {@code loader} and starts it with the {@code settings} of its scopes ({@code prefix.key} to text). */
    public static PluginRegistry load(ClassLoader loader, Map<String, String> settings) {
        List<Plugin> found = new ArrayList<>();
        try {
            for (Plugin plugin : ServiceLoader.load(Plugin.class, loader)) {
                found.add(plugin);
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("a plugin jar is broken: " + e.getMessage()
                    + (e.getCause() != null ? " (" + e.getCause() + ")" : ""), e);
        }
        return of(found, settings);
    }

    /** Starts the given plugins with the {@code settings} of their scopes. */
    public static PluginRegistry of(List<Plugin> found, Map<String, String> settings) {
        Map<String, LoadedPlugin> plugins = new LinkedHashMap<>();
        Map<String, LoadedPlugin> scopes = new LinkedHashMap<>();
        for (Plugin plugin : found) {
            String name = Settings.name("plugin name", plugin.name());
            LoadedPlugin loaded = start(plugin, settings);
            LoadedPlugin clash = plugins.putIfAbsent(name, loaded);
            if (clash != null) {
                throw new IllegalStateException("two plugins are named '" + name + "': " + clash.describe() + " and "
                        + loaded.describe() + "; remove one of the jars");
            }
            for (String prefix : loaded.configs().keySet()) {
                LoadedPlugin owner = scopes.putIfAbsent(prefix, loaded);
                if (owner != null) {
                    throw new IllegalStateException("the settings prefix '" + prefix + "' is owned by plugin '" + owner.name()
                            + "' and again by plugin '" + name + "'; prefixes must be unique");
                }
            }
        }
        Map<String, TokenizerFactory> tokenizers = new LinkedHashMap<>();
        Map<String, String> owners = new LinkedHashMap<>();
        for (LoadedPlugin plugin : plugins.values()) {
            unique("loss", plugin, plugin.losses(), SidLoss::name, owners);
            unique("pair mask", plugin, plugin.pairMasks(), PairMask::name, owners);
            unique("tokenizer", plugin, plugin.tokenizers(), TokenizerFactory::name, owners);
            plugin.tokenizers().forEach(t -> tokenizers.put(t.name(), t));
        }
        return new PluginRegistry(Map.copyOf(plugins), tokenizers, Map.copyOf(scopes));
    }

    private static LoadedPlugin start(Plugin plugin, Map<String, String> settings) {
        Map<String, Record> values = new LinkedHashMap<>();
        for (ConfigScope<?> scope : plugin.configs()) {
            Map<String, String> own = new LinkedHashMap<>();
            settings.forEach((key, value) -> {
                if (key.startsWith(scope.prefix() + ".")) {
                    own.put(key.substring(scope.prefix().length() + 1), value);
                }
            });
            try {
                if (values.put(scope.prefix(), scope.parse(own)) != null) {
                    throw new IllegalStateException("declares the settings prefix '" + scope.prefix() + "' twice");
                }
            } catch (IllegalArgumentException e) {
                String given = own.keySet().stream().map(k -> scope.prefix() + "." + k + "=" + own.get(k)).collect(java.util.stream.Collectors.joining(" "));
                throw new IllegalArgumentException("--set " + given + ": plugin '" + plugin.name() + "': " + e.getMessage(), e);
            } catch (IllegalStateException e) {
                throw new IllegalStateException("plugin '" + plugin.name() + "' (" + source(plugin) + ") failed to start: " + e.getMessage(), e);
            }
        }
        Configs configs = new Configs() {
            @Override
            public <T extends Record> T get(ConfigScope<T> scope) {
                Record value = values.get(scope.prefix());
                if (value == null) {
                    throw new IllegalStateException("scope '" + scope.prefix() + "' is not one of the plugin's configs() " + values.keySet());
                }
                return scope.type().cast(value);
            }
        };
        Module slots = binder -> {
            // empty sets, so a plugin that binds no losses (or masks, or tokenizers) still starts
            Extensions.losses(binder);
            Extensions.pairMasks(binder);
            Extensions.tokenizers(binder);
        };
        Module module;
        try {
            module = plugin.module(configs);
        } catch (IllegalArgumentException e) { // settings valid one by one that do not go together
            throw new IllegalArgumentException("plugin '" + plugin.name() + "': " + e.getMessage(), e);
        }
        try {
            Injector injector = Guice.createInjector(Stage.PRODUCTION, Modules.combine(slots, module));
            return new LoadedPlugin(plugin.name(), plugin.version(), source(plugin), plugin.configs(), values,
                    List.copyOf(injector.getInstance(Key.get(new TypeLiteral<Set<SidLoss>>() {}))),
                    List.copyOf(injector.getInstance(Key.get(new TypeLiteral<Set<PairMask>>() {}))),
                    List.copyOf(injector.getInstance(Key.get(new TypeLiteral<Set<TokenizerFactory>>() {}))));
        } catch (CreationException | ProvisionException | ConfigurationException | IllegalArgumentException | IllegalStateException e) {
            throw new IllegalStateException("plugin '" + plugin.name() + "' (" + source(plugin) + ") failed to start: "
                    + e.getMessage(), e);
        }
    }

    private static <T> void unique(String kind, LoadedPlugin plugin, Collection<T> extensions, Function<T, String> name,
                                   Map<String, String> owners) {
        for (T extension : extensions) {
            String n = Settings.name(kind + " name in plugin '" + plugin.name() + "'", name.apply(extension));
            String owner = owners.putIfAbsent(kind + ":" + n, plugin.name());
            if (owner != null) {
                throw new IllegalStateException("the " + kind + " name '" + n + "' is bound by plugin '" + owner
                        + "' and again by plugin '" + plugin.name() + "'; names must be unique");
            }
        }
    }

    private static String source(Plugin plugin) {
        CodeSource source = plugin.getClass().getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? plugin.getClass().getName()
                : plugin.getClass().getName() + " in " + source.getLocation();
    }

    /** The plugin that owns the settings prefix {@code prefix}, if one does. */
    public java.util.Optional<LoadedPlugin> owner(String prefix) {
        return java.util.Optional.ofNullable(scopes.get(prefix));
    }

    /** The settings prefixes the plugins own, sorted. */
    public List<String> prefixes() {
        return scopes.keySet().stream().sorted().toList();
    }

    /** The started plugins, by name. */
    public Collection<LoadedPlugin> plugins() {
        return plugins.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }

    /** The plugin called {@code name}; fails listing the installed ones. */
    public LoadedPlugin plugin(String name) {
        LoadedPlugin plugin = plugins.get(name);
        if (plugin == null) {
            throw new IllegalArgumentException("no plugin named '" + name + "' is installed; add the jar that provides it"
                    + " to the classpath or the plugin folder. Installed plugins: " + pluginNames());
        }
        return plugin;
    }

    /** The named plugins, in the given order; fails on an unknown name or a name given twice. */
    public List<LoadedPlugin> select(List<String> names) {
        List<LoadedPlugin> selected = new ArrayList<>();
        for (String name : names) {
            LoadedPlugin plugin = plugin(name);
            if (selected.contains(plugin)) {
                throw new IllegalArgumentException("plugin '" + name + "' is selected twice");
            }
            selected.add(plugin);
        }
        return selected;
    }

    /** The tokenizer called {@code name}; fails listing the available ones. */
    public TokenizerFactory tokenizer(String name) {
        TokenizerFactory factory = tokenizers.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("no tokenizer named '" + name + "' is installed. Available tokenizers: "
                    + tokenizers.keySet().stream().sorted().toList() + " (installed plugins: " + pluginNames() + ")");
        }
        return factory;
    }

    public List<String> pluginNames() {
        return plugins.keySet().stream().sorted().toList();
    }

    public List<String> tokenizerNames() {
        return tokenizers.keySet().stream().sorted().toList();
    }
}
