package io.quasid.spi;

import ai.djl.Device;
import java.util.List;
import java.util.Optional;

/**
 * What a host hands a tokenizer for training: the bound losses and pair masks, an optional pair source,
 * the device, the seed and a listener.
 */
public record TokenizerContext(List<SidLoss> losses, List<PairMask> pairMasks, Optional<PairSource> pairs,
                               Device device, long seed, TrainingListener listener) {
    public TokenizerContext {
        losses = List.copyOf(losses);
        pairMasks = List.copyOf(pairMasks);
        if (pairs == null || device == null || listener == null) {
            throw new IllegalArgumentException("pairs, device and listener are required (use Optional.empty() and TrainingListener.NONE)");
        }
        for (SidLoss loss : losses) {
            if (loss.requiresPairs() && pairs.isEmpty()) {
                throw new IllegalArgumentException("loss '" + loss.name() + "' trains on item pairs, but no pair source is bound");
            }
        }
    }

    /** A context with no losses, masks or pairs: the plain tokenizer. */
    public static TokenizerContext plain(Device device, long seed) {
        return new TokenizerContext(List.of(), List.of(), Optional.empty(), device, seed, TrainingListener.NONE);
    }
}
