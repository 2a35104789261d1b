package io.quasid.core.plugin;

import ai.djl.ndarray.NDArray;
import com.google.inject.AbstractModule;
import com.google.inject.Module;
import io.quasid.spi.ConfigScope;
import io.quasid.spi.Configs;
import io.quasid.spi.Extensions;
import io.quasid.spi.LossTerm;
import io.quasid.spi.PairMask;
import io.quasid.spi.Plugin;
import io.quasid.spi.Setting;
import io.quasid.spi.Settings;
import io.quasid.spi.SidLoss;
import io.quasid.spi.TrainingBatch;
import com.google.inject.name.Names;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import java.util.Map;

/** A plugin as a third party would write one: a config scope, a loss that reads it, a mask. */
final class ToyPlugin implements Plugin {
    private final String name;
    private final String prefix;

    /** A plugin called {@code name} (its settings {@code name.weight}) whose extensions are named {@code prefix.loss} and {@code prefix.mask}. */
    ToyPlugin(String name, String prefix) {
        this.name = name;
        this.prefix = prefix;
    }

    ToyPlugin(String name) {
        this(name, name);
    }

    ToyPlugin() {
        this("toy");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String version() {
        return "1.0";
    }

    private ConfigScope<ToyConfig> scope() {
        return ConfigScope.of(name, ToyConfig.class, ToyConfig.DEFAULT);
    }

    @Override
    public List<ConfigScope<?>> configs() {
        return List.of(scope());
    }

    @Override
    public Module module(Configs configs) {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(ToyConfig.class).toInstance(configs.get(scope()));
                bindConstant().annotatedWith(Names.named("toy.prefix")).to(prefix);
                Extensions.losses(binder()).addBinding().to(ToyLoss.class);
                Extensions.pairMasks(binder()).addBinding().toInstance(new ToyMask(prefix));
            }
        };
    }

    record ToyConfig(@Setting("how much the loss counts") double weight) {
        static final ToyConfig DEFAULT = new ToyConfig(0.5);

        ToyConfig {
            Settings.inRange("weight", weight, 0, 10);
        }
    }

    static final class ToyLoss implements SidLoss {
        final ToyConfig config;
        private final String prefix;

        @Inject
        ToyLoss(ToyConfig config, @Named("toy.prefix") String prefix) {
            this.config = config;
            this.prefix = prefix;
        }

        @Override
        public String name() {
            return prefix + ".loss";
        }

        @Override
        public LossTerm compute(TrainingBatch batch, io.quasid.spi.ValidPairs validPairs) {
            return new LossTerm(batch.z().square().sum().mul(config.weight()), Map.of("weight", config.weight()));
        }
    }

    record ToyMask(String prefix) implements PairMask {
        @Override
        public String name() {
            return prefix + ".mask";
        }

        @Override
        public NDArray compute(TrainingBatch batch) {
            int n = batch.layout().rows();
            return batch.z().getManager().ones(new ai.djl.ndarray.types.Shape(n, n), ai.djl.ndarray.types.DataType.BOOLEAN);
        }
    }
}
