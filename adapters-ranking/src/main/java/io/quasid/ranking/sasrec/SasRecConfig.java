package io.quasid.ranking.sasrec;

import io.quasid.spi.Settings;

/**
 * Settings of the SASRec-style ranking model (METHOD.md §6): a causal transformer over a user's last
 * {@code max_length} items, item vectors from SID codes and/or ids, trained with a full softmax over
 * the catalogue at every position, early-stopped on validation NDCG@10. The defaults fit a run on
 * Amazon Beauty into the 20-minute budget of 2 cores (learning rate 3e-3 reaches in 20 epochs what 1e-3
 * reaches in 30).
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
        return new SasRecConfig(f, dim, blocks, maxLength, dropout, learningRate, weightDecay, batchSize, maxEpochs, patience, sidPrefixes);
    }
}
