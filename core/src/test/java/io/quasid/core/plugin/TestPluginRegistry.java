package io.quasid.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Module;
import io.quasid.spi.Plugin;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestPluginRegistry {
    @TempDir
    Path dir;

    @Test
    void findsAPluginJarDroppedIntoAFolderThroughItsOwnClassLoader() throws Exception {
        PluginJars.build(dir, "jarred");
        try (URLClassLoader loader = PluginFolder.classLoader(dir, getClass().getClassLoader())) {
            PluginRegistry registry = PluginRegistry.load(loader, List.of());
            LoadedPlugin plugin = registry.plugin("jarred");
            assertThat(plugin.version()).isEqualTo("9.9");
            assertThat(plugin.source()).contains("jarred-plugin.jar");
            assertThat(plugin.losses()).extracting(l -> l.name()).containsExactly("jarred.loss");
            assertThat(plugin.losses().get(0).getClass().getClassLoader()).isSameAs(loader);
        }
        assertThatThrownBy(() -> Class.forName("jarred.JarredPlugin")).isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void findsNothingBeyondTheHostWithoutTheFolder() {
        PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader(), List.of());
        assertThat(registry.pluginNames()).doesNotContain("jarred");
    }

    @Test
    void exposesEachPluginsLossesAndMasksByName() {
        PluginRegistry registry = PluginRegistry.of(List.of(new ToyPlugin()), List.of());
        LoadedPlugin toy = registry.plugin("toy");
        assertThat(toy.losses()).extracting(l -> l.name()).containsExactly("toy.loss");
        assertThat(toy.pairMasks()).extracting(m -> m.name()).containsExactly("toy.mask");
        assertThat(toy.tokenizers()).isEmpty();
    }

    @Test
    void aHostModuleOverridesThePluginConfig() {
        Module host = binder -> binder.bind(ToyPlugin.ToyConfig.class).toInstance(new ToyPlugin.ToyConfig(3.0));
        PluginRegistry registry = PluginRegistry.of(List.of(new ToyPlugin()), List.of(host));
        ToyPlugin.ToyLoss loss = (ToyPlugin.ToyLoss) registry.plugin("toy").losses().get(0);
        assertThat(loss.config.weight()).isEqualTo(3.0);
        PluginRegistry defaults = PluginRegistry.of(List.of(new ToyPlugin()), List.of());
        assertThat(((ToyPlugin.ToyLoss) defaults.plugin("toy").losses().get(0)).config.weight()).isEqualTo(0.5);
    }

    @Test
    void anUnknownPluginNameFailsListingTheInstalledOnes() {
        PluginRegistry registry = PluginRegistry.of(List.of(new ToyPlugin(), new ToyPlugin("other")), List.of());
        assertThatThrownBy(() -> registry.select(List.of("toy", "quasdi")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no plugin named 'quasdi'")
                .hasMessageContaining("[other, toy]");
    }

    @Test
    void anUnknownTokenizerFailsListingTheAvailableOnes() {
        PluginRegistry registry = PluginRegistry.of(List.of(new ToyPlugin()), List.of());
        assertThatThrownBy(() -> registry.tokenizer("rqvae"))
                .hasMessageContaining("no tokenizer named 'rqvae'")
                .hasMessageContaining("Available tokenizers: []")
                .hasMessageContaining("installed plugins: [toy]");
    }

    @Test
    void twoPluginsWithOneNameFailAtStartUp() {
        assertThatThrownBy(() -> PluginRegistry.of(List.of(new ToyPlugin(), new ToyPlugin()), List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two plugins are named 'toy'");
    }

    @Test
    void twoPluginsBindingOneLossNameFailAtStartUp() throws IOException {
        Plugin copycat = new ToyPlugin("copycat", "toy");
        assertThatThrownBy(() -> PluginRegistry.of(List.of(new ToyPlugin(), copycat), List.of()))
                .hasMessageContaining("the loss name 'toy.loss' is bound by plugin 'toy' and again by plugin 'copycat'");
    }

    @Test
    void anInvalidConfigFailsAtStartUpNamingThePluginAndField() {
        Module bad = binder -> binder.bind(ToyPlugin.ToyConfig.class).toProvider(() -> new ToyPlugin.ToyConfig(-1));
        assertThatThrownBy(() -> PluginRegistry.of(List.of(new ToyPlugin()), List.of(bad)))
                .hasMessageContaining("plugin 'toy'")
                .hasMessageContaining("weight = -1.0 is out of range: allowed [0.0, 10.0]");
    }

    @Test
    void anInvalidPluginNameFails() {
        assertThatThrownBy(() -> PluginRegistry.of(List.of(new ToyPlugin("Bad Name")), List.of()))
                .hasMessageContaining("plugin name 'Bad Name' is not a valid name");
    }

    @Test
    void selectingAPluginTwiceFails() {
        PluginRegistry registry = PluginRegistry.of(List.of(new ToyPlugin()), List.of());
        assertThatThrownBy(() -> registry.select(List.of("toy", "toy"))).hasMessageContaining("selected twice");
    }

    @Test
    void aMissingPluginFolderFails() {
        assertThatThrownBy(() -> PluginFolder.classLoader(dir.resolve("none"), getClass().getClassLoader()))
                .hasMessageContaining("plugin folder does not exist");
    }
}
