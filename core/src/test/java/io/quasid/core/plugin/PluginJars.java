package io.quasid.core.plugin;

import ai.djl.ndarray.NDArray;
import com.google.inject.Module;
import io.quasid.spi.Plugin;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a real plugin jar at test time: compiles source against the SPI (and Guice, DJL's API, jakarta.inject)
 * and packs it with its service file. Shared with other modules' tests as core's test jar.
 */
public final class PluginJars {
    private PluginJars() {}

    /** A jar in {@code folder} holding plugin class {@code jarred.<Name>Plugin} named {@code name}, with one loss {@code <name>.loss}. */
    public static Path build(Path folder, String name) throws IOException {
        String cls = Character.toUpperCase(name.charAt(0)) + name.substring(1).replace("-", "") + "Plugin";
        String source = """
                package jarred;

                public final class %1$s implements io.quasid.spi.Plugin {
                    public String name() { return "%2$s"; }
                    public String version() { return "9.9"; }
                    public com.google.inject.Module module(io.quasid.spi.Configs configs) {
                        return binder -> io.quasid.spi.Extensions.losses(binder).addBinding().toInstance(new Loss());
                    }

                    static final class Loss implements io.quasid.spi.SidLoss {
                        public String name() { return "%2$s.loss"; }
                        public io.quasid.spi.LossTerm compute(io.quasid.spi.TrainingBatch batch, io.quasid.spi.ValidPairs valid) {
                            return io.quasid.spi.LossTerm.of(batch.z().sum());
                        }
                    }
                }
                """.formatted(cls, name);
        return build(folder, name + "-plugin.jar", "jarred." + cls, source);
    }

    /** The jar {@code folder/jar} of the plugin class {@code plugin} (fully qualified) compiled from {@code source} (one file). */
    public static Path build(Path folder, String jarName, String plugin, String source) throws IOException {
        Path work = Files.createTempDirectory("plugin-src");
        Path src = work.resolve(plugin.replace('.', '/') + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Path classes = Files.createDirectories(work.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classpath = String.join(java.io.File.pathSeparator,
                location(Plugin.class), location(Module.class), location(NDArray.class), location(Inject.class));
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", classpath, "--release", "17", src.toString());
        if (rc != 0) {
            throw new IllegalStateException("javac failed on " + src);
        }
        Files.createDirectories(folder);
        Path jar = folder.resolve(jarName);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("META-INF/services/io.quasid.spi.Plugin"));
            out.write((plugin + "\n").getBytes(StandardCharsets.UTF_8));
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    out.write(Files.readAllBytes(f));
                }
            }
        }
        return jar;
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

}
