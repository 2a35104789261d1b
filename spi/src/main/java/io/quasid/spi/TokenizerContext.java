package io.quasid.spi;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a host hands a tokenizer for training: the bound losses and pair masks, an optional pair source,
 * the device, the seed, a listener, the plugins in use (for provenance) and where to keep checkpoints.
 */
public final class TokenizerContext {
    private final List<SidLoss> losses;
    private final List<PairMask> pairMasks;
    private final Optional<PairSource> pairs;
    private final Device device;
    private final long seed;
    private final TrainingListener listener;
    private final List<String> plugins;
    private final Optional<Path> checkpoints;
    private final boolean resume;

    private TokenizerContext(Builder b) {
        this.losses = List.copyOf(b.losses);
        this.pairMasks = List.copyOf(b.pairMasks);
        this.pairs = Optional.ofNullable(b.pairs);
        this.device = Objects.requireNonNull(b.device, "device is null");
        this.seed = b.seed;
        this.listener = Objects.requireNonNull(b.listener, "listener is null");
        this.plugins = List.copyOf(b.plugins);
        this.checkpoints = Optional.ofNullable(b.checkpoints);
        this.resume = b.resume;
        for (SidLoss loss : losses) {
            if (loss.requiresPairs() && pairs.isEmpty()) {
                throw new IllegalArgumentException("loss '" + loss.name() + "' trains on item pairs, but no pair source is bound");
            }
        }
        if (resume && checkpoints.isEmpty()) {
            throw new IllegalArgumentException("resume needs a checkpoint folder");
        }
    }

    /** A context for training on {@code device} with {@code seed}; no losses, masks, pairs or checkpoints until added. */
    public static Builder builder(Device device, long seed) {
        return new Builder(device, seed);
    }

    /** The plain tokenizer's context: nothing bound. */
    public static TokenizerContext plain(Device device, long seed) {
        return builder(device, seed).build();
    }

    public List<SidLoss> losses() {
        return losses;
    }

    public List<PairMask> pairMasks() {
        return pairMasks;
    }

    /** Collaborative pairs; when present, training batches are (trigger, target) pair batches. */
    public Optional<PairSource> pairs() {
        return pairs;
    }

    public Device device() {
        return device;
    }

    public long seed() {
        return seed;
    }

    public TrainingListener listener() {
        return listener;
    }

    /** The plugins whose extensions are bound, as {@code name version}, recorded with the model. */
    public List<String> plugins() {
        return plugins;
    }

    /** A folder where the tokenizer may write checkpoints. */
    public Optional<Path> checkpoints() {
        return checkpoints;
    }

    /** True to continue from the checkpoint in {@link #checkpoints()} if there is one. */
    public boolean resume() {
        return resume;
    }

    /** Builds a {@link TokenizerContext}. */
    public static final class Builder {
        private final Device device;
        private final long seed;
        private List<SidLoss> losses = List.of();
        private List<PairMask> pairMasks = List.of();
        private PairSource pairs;
        private TrainingListener listener = TrainingListener.NONE;
        private List<String> plugins = List.of();
        private Path checkpoints;
        private boolean resume;

        private Builder(Device device, long seed) {
            this.device = device;
            this.seed = seed;
        }

        public Builder losses(List<SidLoss> v) { losses = v; return this; }
        public Builder pairMasks(List<PairMask> v) { pairMasks = v; return this; }
        public Builder pairs(PairSource v) { pairs = v; return this; }
        public Builder listener(TrainingListener v) { listener = v; return this; }
        public Builder plugins(List<String> v) { plugins = v; return this; }
        public Builder checkpoints(Path dir, boolean resumeFromIt) { checkpoints = dir; resume = resumeFromIt; return this; }

        public TokenizerContext build() {
            return new TokenizerContext(this);
        }
    }
}
