package io.quasid.ranking.sasrec;

import io.quasid.spi.Settings;

/**
 * Settings of the SASRec-style ranking model (METHOD.md §6): a causal transformer over a user's last
 * {@code max_length} items, item vectors from SID codes and/or ids, trained with a full softmax over
 * the catalogue at every position, early-stopped on validation NDCG@10 (how the defaults were chosen,
 * measured: README, "Ranking model"). Change a few settings with
 * {@code SasRecConfig.DEFAULTS.toBuilder().dim(32).build()}.
 *
 * <p>{@code sid_prefixes}: besides the table per level indexed by the code {@code c_l}, a table per level
 * {@code l >= 2} indexed by the item's SID prefix {@code (c_1..c_l)} (one row per prefix in the
 * catalogue), so the model can tell apart items whose codes agree level by level but not as a whole
 * (SID prefix n-grams, Singh et al., RecSys 2024), while an item new to the model still gets its code
 * rows and the rows of the prefixes it shares with trained items.
 */
public record SasRecConfig(Features features, int dim, int blocks, int maxLength, double dropout, double learningRate,
                           double weightDecay, int batchSize, int maxEpochs, int patience, boolean sidPrefixes) {
    public static final SasRecConfig DEFAULTS = new SasRecConfig(Features.SID, 64, 2, 20, 0.3, 3e-3, 0, 256, 20, 3, true);

    public SasRecConfig {
        if (features == null) {
            throw new IllegalArgumentException("features is required: sid, id or sid+id");
        }
        Settings.inRange("dim", dim, 2, 4096);
        Settings.inRange("blocks", blocks, 1, 32);
        Settings.inRange("max_length", maxLength, 2, 1024);
        Settings.inRange("dropout", dropout, 0, 0.95);
        if (!(learningRate > 0 && learningRate <= 1)) {
            throw new IllegalArgumentException("learning_rate = " + learningRate + " is out of range: allowed (0, 1]");
        }
        Settings.inRange("weight_decay", weightDecay, 0, 1);
        Settings.inRange("batch_size", batchSize, 1, 1 << 16);
        Settings.inRange("max_epochs", maxEpochs, 1, 100_000);
        Settings.inRange("patience", patience, 1, 100_000);
    }

    public SasRecConfig with(Features f) {
        return toBuilder().features(f).build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some settings; {@link #build()} validates them all. */
    public static final class Builder {
        private Features features;
        private int dim;
        private int blocks;
        private int maxLength;
        private double dropout;
        private double learningRate;
        private double weightDecay;
        private int batchSize;
        private int maxEpochs;
        private int patience;
        private boolean sidPrefixes;

        private Builder(SasRecConfig c) {
            features = c.features;
            dim = c.dim;
            blocks = c.blocks;
            maxLength = c.maxLength;
            dropout = c.dropout;
            learningRate = c.learningRate;
            weightDecay = c.weightDecay;
            batchSize = c.batchSize;
            maxEpochs = c.maxEpochs;
            patience = c.patience;
            sidPrefixes = c.sidPrefixes;
        }

        public Builder features(Features v) { features = v; return this; }
        public Builder dim(int v) { dim = v; return this; }
        public Builder blocks(int v) { blocks = v; return this; }
        public Builder maxLength(int v) { maxLength = v; return this; }
        public Builder dropout(double v) { dropout = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder maxEpochs(int v) { maxEpochs = v; return this; }
        public Builder patience(int v) { patience = v; return this; }
        public Builder sidPrefixes(boolean v) { sidPrefixes = v; return this; }

        public SasRecConfig build() {
            return new SasRecConfig(features, dim, blocks, maxLength, dropout, learningRate, weightDecay, batchSize, maxEpochs, patience, sidPrefixes);
        }
    }
}
