package io.quasid.plugins.quasid;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.multibindings.ProvidesIntoSet;
import io.quasid.spi.Cvpm;
import io.quasid.spi.Extensions;
import io.quasid.spi.PairMask;
import io.quasid.spi.Plugin;

/** QuaSID: binds {@link QuaSidConfig#DEFAULTS}, the CVPM mask, the HaMR loss and the dual-tower contrastive loss. */
public final class QuaSidPlugin implements Plugin {
    public static final String NAME = "quasid";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Module module() {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(QuaSidConfig.class).toInstance(QuaSidConfig.DEFAULTS);
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
