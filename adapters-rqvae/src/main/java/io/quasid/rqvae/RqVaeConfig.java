package io.quasid.rqvae;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quasid.spi.CodebookShape;
import io.quasid.spi.Setting;
import io.quasid.spi.Settings;
import java.util.List;

/**
 * RQ-VAE settings (METHOD.md §1) with the reference defaults: {@code L = 3} codebooks of {@code K = 256}
 * codes, latent 32, encoder {@code d_in -> 512 -> 256 -> 128 -> 32}, {@code beta = 0.25}, AdamW with
 * lr 1e-3 and weight decay 1e-4. Validated when built; every failure names the field and range.
 *
 * <p>{@code item_rows}: when a plugin trains on pairs, how many of the {@code batch_rows} rows of a step
 * are catalogue rows (a per-epoch permutation of the items) after the {@code B = (batch_rows - item_rows)
 * / 2} pairs (METHOD.md §2): 768 by default, so 128 pairs and 768 catalogue rows, and every item is
 * trained on in every epoch; 0 is the papers' pairs-only layout. Batches without pairs ignore it.
 */
public record RqVaeConfig(
        @Setting("L: the number of codebooks (levels of a SID)") @JsonProperty("levels") int levels,
        @Setting("K: codewords per codebook") @JsonProperty("codes") int codes,
        @Setting("width of the encoder output and of the codewords") @JsonProperty("latent") int latent,
        @Setting("widths of the encoder's hidden layers, input side first (the decoder mirrors them)") @JsonProperty("hidden") List<Integer> hidden,
        @Setting("weight of the commitment term of the quantization loss") @JsonProperty("beta") double beta,
        @Setting("AdamW learning rate") @JsonProperty("learning_rate") double learningRate,
        @Setting("AdamW weight decay") @JsonProperty("weight_decay") double weightDecay,
        @Setting("rows per training step") @JsonProperty("batch_rows") int batchRows,
        @Setting("catalogue rows after the (trigger, target) pairs of a pair step; 0 is the papers' pairs-only layout; ignored without pairs") @JsonProperty("item_rows") int itemRows,
        @Setting("training epochs") @JsonProperty("epochs") int epochs,
        @Setting("start each codebook from k-means on a sample of the encoder's residuals") @JsonProperty("kmeans_init") boolean kmeansInit,
        @Setting("iterations of that k-means") @JsonProperty("kmeans_iterations") int kmeansIterations,
        @Setting("items that k-means runs on") @JsonProperty("kmeans_sample") int kmeansSample,
        @Setting("after each epoch, move every code no item used onto a residual of the last batch") @JsonProperty("reseed_dead_codes") boolean reseedDeadCodes,
        @Setting("epochs between checkpoints (0: none)") @JsonProperty("checkpoint_every") int checkpointEvery,
        @Setting("largest global gradient norm a step applies (0: no limit)") @JsonProperty("clip_grad_norm") double clipGradNorm) {

    /**
     * The defaults of METHOD.md §1; {@code epochs}, {@code checkpoint_every} and {@code clip_grad_norm} (the
     * largest global gradient norm a step applies, 0 for no limit; plain RQ-VAE stays below 1, so it only
     * catches spikes) are this project's choice.
     */
    public static final RqVaeConfig DEFAULTS = new RqVaeConfig(3, 256, 32, List.of(512, 256, 128), 0.25, 1e-3, 1e-4,
            1024, 768, 200, true, 25, 16384, true, 10, 10);

    public RqVaeConfig {
        Settings.inRange("levels (L)", levels, 1, CodebookShape.MAX_LEVELS);
        Settings.inRange("codes (K)", codes, 2, 1 << 16);
        Settings.inRange("latent", latent, 1, 4096);
        hidden = List.copyOf(hidden);
        for (int h : hidden) {
            Settings.inRange("hidden layer width", h, 1, 1 << 16);
        }
        Settings.inRange("beta", beta, 0, 100);
        if (!(learningRate > 0 && learningRate <= 1)) {
            throw new IllegalArgumentException("learning_rate = " + learningRate + " is out of range: allowed (0, 1]");
        }
        Settings.inRange("weight_decay", weightDecay, 0, 1);
        Settings.inRange("batch_rows", batchRows, 2, 1 << 20);
        if (itemRows < 0 || itemRows > batchRows - 2) {
            throw new IllegalArgumentException("item_rows = " + itemRows + " is out of range: allowed [0, " + (batchRows - 2)
                    + "] (batch_rows - 2; with a smaller batch_rows set item_rows too, e.g. three quarters of it)");
        }
        Settings.inRange("epochs", epochs, 1, 1_000_000);
        Settings.inRange("kmeans_iterations", kmeansIterations, 1, 10_000);
        Settings.inRange("kmeans_sample", kmeansSample, codes, Integer.MAX_VALUE);
        Settings.inRange("checkpoint_every", checkpointEvery, 0, 1_000_000);
        Settings.inRange("clip_grad_norm", clipGradNorm, 0, 1e9);
    }

    public CodebookShape shape() {
        return new CodebookShape(levels, codes);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some settings of a config; {@link #build()} validates them all. */
    public static final class Builder {
        private int levels;
        private int codes;
        private int latent;
        private List<Integer> hidden;
        private double beta;
        private double learningRate;
        private double weightDecay;
        private int batchRows;
        private int itemRows;
        private int epochs;
        private boolean kmeansInit;
        private int kmeansIterations;
        private int kmeansSample;
        private boolean reseedDeadCodes;
        private int checkpointEvery;
        private double clipGradNorm;

        private Builder(RqVaeConfig c) {
            levels = c.levels;
            codes = c.codes;
            latent = c.latent;
            hidden = c.hidden;
            beta = c.beta;
            learningRate = c.learningRate;
            weightDecay = c.weightDecay;
            batchRows = c.batchRows;
            itemRows = c.itemRows;
            epochs = c.epochs;
            kmeansInit = c.kmeansInit;
            kmeansIterations = c.kmeansIterations;
            kmeansSample = c.kmeansSample;
            reseedDeadCodes = c.reseedDeadCodes;
            checkpointEvery = c.checkpointEvery;
            clipGradNorm = c.clipGradNorm;
        }

        public Builder levels(int v) { levels = v; return this; }
        public Builder codes(int v) { codes = v; return this; }
        public Builder latent(int v) { latent = v; return this; }
        public Builder hidden(List<Integer> v) { hidden = v; return this; }
        public Builder beta(double v) { beta = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder batchRows(int v) { batchRows = v; return this; }
        public Builder itemRows(int v) { itemRows = v; return this; }
        public Builder epochs(int v) { epochs = v; return this; }
        public Builder kmeansInit(boolean v) { kmeansInit = v; return this; }
        public Builder kmeansIterations(int v) { kmeansIterations = v; return this; }
        public Builder kmeansSample(int v) { kmeansSample = v; return this; }
        public Builder reseedDeadCodes(boolean v) { reseedDeadCodes = v; return this; }
        public Builder checkpointEvery(int v) { checkpointEvery = v; return this; }
        public Builder clipGradNorm(double v) { clipGradNorm = v; return this; }

        public RqVaeConfig build() {
            return new RqVaeConfig(levels, codes, latent, hidden, beta, learningRate, weightDecay, batchRows, itemRows, epochs,
                    kmeansInit, kmeansIterations, kmeansSample, reseedDeadCodes, checkpointEvery, clipGradNorm);
        }
    }
}
