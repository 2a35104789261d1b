package io.quasid.rqvae;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import io.quasid.spi.ConfigScope;
import io.quasid.spi.Configs;
import io.quasid.spi.Extensions;
import io.quasid.spi.Plugin;
import java.util.List;

/**
 * Registers this module's tokenizers, each with the settings under its own name: the gradient-trained
 * {@code rqvae}, {@code rqvae-rotation} and {@code simvq} ({@link Quantizer}) and the {@code rqkmeans} baseline.
 */
public final class RqVaePlugin implements Plugin {
    public static final String NAME = "rqvae";
    public static final ConfigScope<RqVaeConfig> RQVAE = ConfigScope.of(Quantizer.STRAIGHT_THROUGH.tokenizer(), RqVaeConfig.class, RqVaeConfig.DEFAULTS);
    public static final ConfigScope<RqVaeConfig> ROTATION = ConfigScope.of(Quantizer.ROTATION.tokenizer(), RqVaeConfig.class, RqVaeConfig.DEFAULTS);
    /** SimVQ's defaults: RQ-VAE's, without the k-means start and the reseeding its codewords do not have. */
    public static final ConfigScope<RqVaeConfig> SIMVQ = ConfigScope.of(Quantizer.SIMVQ.tokenizer(), RqVaeConfig.class,
            RqVaeConfig.DEFAULTS.toBuilder().kmeansInit(false).reseedDeadCodes(false).build());
    public static final ConfigScope<RqKMeansConfig> RQKMEANS = ConfigScope.of(RqKMeansFactory.NAME, RqKMeansConfig.class, RqKMeansConfig.DEFAULTS);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ConfigScope<?>> configs() {
        return List.of(RQVAE, ROTATION, SIMVQ, RQKMEANS);
    }

    @Override
    public Module module(Configs configs) {
        return new AbstractModule() {
            @Override
            protected void configure() {
                Extensions.tokenizers(binder()).addBinding().toInstance(new RqVaeFactory(Quantizer.STRAIGHT_THROUGH, configs.get(RQVAE)));
                Extensions.tokenizers(binder()).addBinding().toInstance(new RqVaeFactory(Quantizer.ROTATION, configs.get(ROTATION)));
                Extensions.tokenizers(binder()).addBinding().toInstance(new RqVaeFactory(Quantizer.SIMVQ, configs.get(SIMVQ)));
                Extensions.tokenizers(binder()).addBinding().toInstance(new RqKMeansFactory(configs.get(RQKMEANS)));
            }
        };
    }
}
