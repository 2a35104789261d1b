package io.quasid.plugins.quasid;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.multibindings.ProvidesIntoSet;
import io.quasid.spi.ConfigScope;
import io.quasid.spi.Configs;
import io.quasid.spi.Cvpm;
import io.quasid.spi.Extensions;
import io.quasid.spi.PairMask;
import io.quasid.spi.Plugin;
import java.util.List;

/** QuaSID: owns the {@code quasid.*} settings ({@link QuaSidConfig}); binds the CVPM mask, the HaMR loss and the dual-tower contrastive loss. */
public final class QuaSidPlugin implements Plugin {
    public static final String NAME = "quasid";
    public static final ConfigScope<QuaSidConfig> CONFIG = ConfigScope.of(NAME, QuaSidConfig.class, QuaSidConfig.DEFAULTS);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ConfigScope<?>> configs() {
        return List.of(CONFIG);
    }

    @Override
    public Module module(Configs configs) {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(QuaSidConfig.class).toInstance(configs.get(CONFIG));
                Extensions.losses(binder()).addBinding().to(Hamr.class);
                Extensions.losses(binder()).addBinding().to(DualTowerContrastive.class);
            }

            /** The shared CVPM, switched by {@code quasid.mask}. */
            @ProvidesIntoSet
            PairMask cvpm(QuaSidConfig config) {
                return new Cvpm(NAME, config.mask());
            }
        };
    }
}
