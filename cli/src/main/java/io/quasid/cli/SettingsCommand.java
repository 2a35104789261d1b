package io.quasid.cli;

import io.quasid.core.plugin.LoadedPlugin;
import io.quasid.core.plugin.PluginFolder;
import io.quasid.core.plugin.PluginRegistry;
import io.quasid.spi.ConfigScope;
import java.io.PrintWriter;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Lists every {@code --set} setting: the host's scopes, then each installed plugin's, with value and help. */
@Command(name = "settings", mixinStandardHelpOptions = true,
        description = "List every setting --set can change: the host's scopes (swing, sasrec, tiger, mahout) and each installed"
                + " plugin's, with their values (the defaults, or as --set makes them) and help.")
final class SettingsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--plugin-dir", description = "Folder of plugin jars to list besides the built-in plugins.")
    Path pluginDir;

    @Option(names = "--set", description = "Settings to show applied, as for tokenize and evaluate.")
    Map<String, String> settings = new java.util.LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ClassLoader host = getClass().getClassLoader();
        try (URLClassLoader jars = PluginFolder.classLoader(pluginDir, host)) {
            PluginRegistry registry = PluginRegistry.load(jars, settings);
            ConfigOverrides configs = ConfigOverrides.parse(settings, registry);
            out.println("host");
            for (ConfigScope<?> scope : ConfigOverrides.HOST) {
                print(out, scope, configs.get(scope.type()));
            }
            for (LoadedPlugin plugin : registry.plugins()) {
                out.println();
                out.println("plugin " + plugin.describe());
                for (ConfigScope<?> scope : plugin.scopes()) {
                    print(out, scope, plugin.configs().get(scope.prefix()));
                }
            }
        }
        return 0;
    }

    private static <T extends Record> void print(PrintWriter out, ConfigScope<T> scope, Object config) {
        Map<String, String> help = scope.help();
        scope.values(scope.type().cast(config)).forEach((key, value) -> {
            String line = "  " + scope.prefix() + "." + key + " = " + value;
            String text = help.get(key);
            out.println(text.isEmpty() ? line : String.format(java.util.Locale.ROOT, "%-44s %s", line, text));
        });
    }
}
