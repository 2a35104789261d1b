package io.quasid.core.plugin;

import io.quasid.core.io.InputFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A folder of plugin jars, loaded by a class loader of its own whose parent is the host's. */
public final class PluginFolder {
    private PluginFolder() {}

    /**
     * A class loader over every {@code *.jar} in {@code dir} (sorted by name), child of {@code parent}; with no
     * folder ({@code dir} null) one that only delegates to {@code parent}, so the host's plugins alone are found.
     */
    public static URLClassLoader classLoader(Path dir, ClassLoader parent) {
        if (dir == null) {
            return new URLClassLoader("quasid-plugins", new URL[0], parent);
        }
        if (!Files.isDirectory(dir)) {
            throw new InputFileException(dir, "plugin folder does not exist or is not a folder");
        }
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.jar")) {
            files.forEach(jars::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list plugin folder " + dir + ": " + e.getMessage(), e);
        }
        jars.sort(null);
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("bad plugin jar path " + jars.get(i), e);
            }
        }
        return new URLClassLoader("quasid-plugins", urls, parent);
    }
}
