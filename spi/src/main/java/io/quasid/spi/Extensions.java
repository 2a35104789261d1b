package io.quasid.spi;

import com.google.inject.Binder;
import com.google.inject.multibindings.Multibinder;

/** The sets a plugin module adds its extensions to, e.g. {@code Extensions.losses(binder()).addBinding().to(Hamr.class)}. */
public final class Extensions {
    private Extensions() {}

    public static Multibinder<SidLoss> losses(Binder binder) {
        return Multibinder.newSetBinder(binder, SidLoss.class);
    }

    public static Multibinder<PairMask> pairMasks(Binder binder) {
        return Multibinder.newSetBinder(binder, PairMask.class);
    }

    public static Multibinder<TokenizerFactory> tokenizers(Binder binder) {
        return Multibinder.newSetBinder(binder, TokenizerFactory.class);
    }
}
