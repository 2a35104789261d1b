package io.quasid.plugins.adasid;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import io.quasid.spi.ConfigScope;
import io.quasid.spi.Configs;
import io.quasid.spi.Cvpm;
import io.quasid.spi.Extensions;
import io.quasid.spi.Plugin;
import java.util.List;

/** AdaSID: binds {@link AdaSidConfig#DEFAULTS}, the CVPM mask, the collision term and the scheduled contrastive term. */
public final class AdaSidPlugin implements Plugin {
    public static final String NAME = "adasid";
    public static final ConfigScope<AdaSidConfig> CONFIG = ConfigScope.of(NAME, AdaSidConfig.class, AdaSidConfig.DEFAULTS);

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
                bind(AdaSidConfig.class).toInstance(configs.get(CONFIG));
                Extensions.pairMasks(binder()).addBinding().toInstance(new Cvpm(NAME, true)); // AdaSID keeps QuaSID's mask (METHOD.md §4)
                Extensions.losses(binder()).addBinding().to(AdaSidCollision.class);
                Extensions.losses(binder()).addBinding().to(AdaSidContrastive.class);
            }
        };
    }
}
