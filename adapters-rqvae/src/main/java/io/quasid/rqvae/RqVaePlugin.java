package io.quasid.rqvae;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import io.quasid.spi.Extensions;
import io.quasid.spi.Plugin;

/** Registers the {@code rqvae} and {@code rqkmeans} tokenizers with their default configs. */
public final class RqVaePlugin implements Plugin {
    public static final String NAME = "rqvae";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Module module() {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(RqVaeConfig.class).toInstance(RqVaeConfig.DEFAULTS);
                bind(RqKMeansConfig.class).toInstance(RqKMeansConfig.DEFAULTS);
                Extensions.tokenizers(binder()).addBinding().to(RqVaeFactory.class);
                Extensions.tokenizers(binder()).addBinding().to(RqKMeansFactory.class);
            }
        };
    }
}
