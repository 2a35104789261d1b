package io.quasid.rqvae;

import com.google.inject.Module;
import io.quasid.spi.ConfigScope;
import io.quasid.spi.Configs;
import io.quasid.spi.Extensions;
import io.quasid.spi.Plugin;
import io.quasid.spi.TokenizerFactory;
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
        // built here, not in the module, so that settings that do not go together fail with their own message
        List<TokenizerFactory> factories = List.of(
                new RqVaeFactory(Quantizer.STRAIGHT_THROUGH, configs.get(RQVAE)),
                new RqVaeFactory(Quantizer.ROTATION, configs.get(ROTATION)),
                new RqVaeFactory(Quantizer.SIMVQ, configs.get(SIMVQ)),
                new RqKMeansFactory(configs.get(RQKMEANS)));
        return binder -> factories.forEach(f -> Extensions.tokenizers(binder).addBinding().toInstance(f));
    }
}
