package io.quasid.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quasid.spi.ConfigScope;
import io.quasid.spi.Configs;
import io.quasid.spi.Plugin;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestPluginRegistry {
    @TempDir
    Path dir;

    @Test
    void findsAPluginJarDroppedIntoAFolderThroughItsOwnClassLoader() throws Exception {
        PluginJars.build(dir, "jarred");
        try (URLClassLoader loader = PluginFolder.classLoader(dir, getClass().getClassLoader())) {
            PluginRegistry registry = PluginRegistry.load(loader, Map.of());
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
        PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader(), Map.of());
        assertThat(registry.pluginNames()).doesNotContain("jarred");
    }

    @Test
    void exposesEachPluginsLossesAndMasksByName() {
        PluginRegistry registry = PluginRegistry.of(List.of(new ToyPlugin()), Map.of());
        LoadedPlugin toy = registry.plugin("toy");
        assertThat(toy.losses()).extracting(l -> l.name()).containsExactly("toy.loss");
        assertThat(toy.pairMasks()).extracting(m -> m.name()).containsExactly("toy.mask");
        assertThat(toy.tokenizers()).isEmpty();
    }

    @Test
    void thePluginParsesTheSettingsOfItsScope() {
        PluginRegistry registry = PluginRegistry.of(List.of(new ToyPlugin()), Map.of("toy.weight", "3", "sasrec.dim", "8"));
        ToyPlugin.ToyLoss loss = (ToyPlugin.ToyLoss) registry.plugin("toy").losses().get(0);
        assertThat(loss.config.weight()).isEqualTo(3.0);
        assertThat(registry.plugin("toy").settings()).containsExactly(Map.entry("toy.weight", 3.0));
        assertThat(registry.owner("toy")).map(LoadedPlugin::name).contains("toy");
        assertThat(registry.owner("sasrec")).as("a scope no plugin owns is the host's").isEmpty();
        PluginRegistry defaults = PluginRegistry.of(List.of(new ToyPlugin()), Map.of());
        assertThat(((ToyPlugin.ToyLoss) defaults.plugin("toy").losses().get(0)).config.weight()).isEqualTo(0.5);
    }

    @Test
    void anUnknownKeyOfAPluginsScopeFailsNamingThePluginAndItsKeys() {
        assertThatThrownBy(() -> PluginRegistry.of(List.of(new ToyPlugin()), Map.of("toy.wieght", "3")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--set toy.wieght=3: plugin 'toy'")
                .hasMessageContaining("'toy' has no setting 'wieght'; its settings are [weight]");
    }

    @Test
    void twoPluginsOwningOnePrefixFailAtStartUp() {
        Plugin squatter = new Plugin() {
            @Override
            public String name() {
                return "squatter";
            }

            @Override
            public List<ConfigScope<?>> configs() {
                return List.of(ConfigScope.of("toy", ToyPlugin.ToyConfig.class, ToyPlugin.ToyConfig.DEFAULT));
            }

            @Override
            public com.google.inject.Module module(Configs configs) {
                return binder -> {};
            }
        };
        assertThatThrownBy(() -> PluginRegistry.of(List.of(new ToyPlugin(), squatter), Map.of()))
                .hasMessageContaining("the settings prefix 'toy' is owned by plugin 'toy' and again by plugin 'squatter'");
    }

    @Test
    void anUnknownPluginNameFailsListingTheInstalledOnes() {
        PluginRegistry registry = PluginRegistry.of(List.of(new ToyPlugin(), new ToyPlugin("other")), Map.of());
        assertThatThrownBy(() -> registry.select(List.of("toy", "quasdi")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no plugin named 'quasdi'")
                .hasMessageContaining("[other, toy]");
    }

    @Test
    void anUnknownTokenizerFailsListingTheAvailableOnes() {
        PluginRegistry registry = PluginRegistry.of(List.of(new ToyPlugin()), Map.of());
        assertThatThrownBy(() -> registry.tokenizer("rqvae"))
                .hasMessageContaining("no tokenizer named 'rqvae'")
                .hasMessageContaining("Available tokenizers: []")
                .hasMessageContaining("installed plugins: [toy]");
    }

    @Test
    void twoPluginsWithOneNameFailAtStartUp() {
        assertThatThrownBy(() -> PluginRegistry.of(List.of(new ToyPlugin(), new ToyPlugin()), Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two plugins are named 'toy'");
    }

    @Test
    void twoPluginsBindingOneLossNameFailAtStartUp() throws IOException {
        Plugin copycat = new ToyPlugin("copycat", "toy");
        assertThatThrownBy(() -> PluginRegistry.of(List.of(new ToyPlugin(), copycat), Map.of()))
                .hasMessageContaining("the loss name 'toy.loss' is bound by plugin 'toy' and again by plugin 'copycat'");
    }

    @Test
    void anInvalidValueFailsAtStartUpNamingThePluginAndField() {
        assertThatThrownBy(() -> PluginRegistry.of(List.of(new ToyPlugin()), Map.of("toy.weight", "-1")))
                .hasMessageContaining("plugin 'toy'")
                .hasMessageContaining("weight = -1.0 is out of range: allowed [0.0, 10.0]");
        assertThatThrownBy(() -> PluginRegistry.of(List.of(new ToyPlugin()), Map.of("toy.weight", "heavy")))
                .hasMessageContaining("toy.weight = heavy is not a number");
    }

    @Test
    void anInvalidPluginNameFails() {
        assertThatThrownBy(() -> PluginRegistry.of(List.of(new ToyPlugin("Bad Name")), Map.of()))
                .hasMessageContaining("plugin name 'Bad Name' is not a valid name");
    }

    @Test
    void selectingAPluginTwiceFails() {
        PluginRegistry registry = PluginRegistry.of(List.of(new ToyPlugin()), Map.of());
        assertThatThrownBy(() -> registry.select(List.of("toy", "toy"))).hasMessageContaining("selected twice");
    }

    @Test
    void aMissingPluginFolderFails() {
        assertThatThrownBy(() -> PluginFolder.classLoader(dir.resolve("none"), getClass().getClassLoader()))
                .hasMessageContaining("plugin folder does not exist");
    }
}
