package io.quasid.ranking.tiger;

import io.quasid.spi.Settings;

/**
 * Settings of the generative retriever (METHOD.md §7): a T5-style encoder-decoder over the tokens of a
 * user's last {@code max_length} items that spells the next item's tokens, trained on every training
 * position (sliding window), early-stopped on validation Recall@10 (of every evaluated user, or of a
 * seeded sample of {@code validation_users} of them, the same every epoch), decoded by beam search constrained
 * to the catalogue. {@link #REFERENCE} is the size the peers replicate (GRID, LETTER); the defaults are
 * a smaller size that trains on Beauty in minutes per epoch on 2 CPU cores (README, "Generative retrieval").
 */
public record TigerConfig(int dModel, int heads, int headDim, int dFf, int encoderLayers, int decoderLayers, double dropout,
                          int maxLength, EncoderInput encoderInput, double learningRate, LearningRateSchedule schedule, double weightDecay, int batchSize, int maxEpochs,
                          int patience, int beam, int validationUsers) {
    /** 2 + 2 layers, {@code d_model} 64, 2 heads of 32, {@code d_ff} 256, dropout 0.15. */
    public static final TigerConfig DEFAULTS = new TigerConfig(64, 2, 32, 256, 2, 2, 0.15, 20, EncoderInput.TOKENS, 1e-3, LearningRateSchedule.CONSTANT, 0, 256, 20, 3, 20, 0);
    /** The peers' size: 4 + 4 layers, {@code d_model} 128, 6 heads of 64, {@code d_ff} 1024; the other settings as the defaults. */
    public static final TigerConfig REFERENCE = DEFAULTS.toBuilder().dModel(128).heads(6).headDim(64).dFf(1024).encoderLayers(4).decoderLayers(4).build();

    public TigerConfig {
        Settings.inRange("d_model", dModel, 2, 4096);
        Settings.inRange("heads", heads, 1, 64);
        Settings.inRange("head_dim", headDim, 1, 1024);
        Settings.inRange("d_ff", dFf, 1, 65536);
        Settings.inRange("encoder_layers", encoderLayers, 1, 48);
        Settings.inRange("decoder_layers", decoderLayers, 1, 48);
        Settings.inRange("dropout", dropout, 0, 0.95);
        Settings.inRange("max_length", maxLength, 1, 1024);
        if (!(learningRate > 0 && learningRate <= 1)) {
            throw new IllegalArgumentException("learning_rate = " + learningRate + " is out of range: allowed (0, 1]");
        }
        if (encoderInput == null) { // model files written before the setting existed
            encoderInput = EncoderInput.TOKENS;
        }
        if (schedule == null) { // model files written before the setting existed
            schedule = LearningRateSchedule.CONSTANT;
        }
        Settings.inRange("weight_decay", weightDecay, 0, 1);
        Settings.inRange("batch_size", batchSize, 1, 1 << 16);
        Settings.inRange("max_epochs", maxEpochs, 1, 100_000);
        Settings.inRange("patience", patience, 1, 100_000);
        Settings.inRange("beam", beam, 1, 10_000);
        Settings.inRange("validation_users", validationUsers, 0, Integer.MAX_VALUE);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some settings; {@link #build()} validates them all. */
    public static final class Builder {
        private int dModel;
        private int heads;
        private int headDim;
        private int dFf;
        private int encoderLayers;
        private int decoderLayers;
        private double dropout;
        private int maxLength;
        private EncoderInput encoderInput;
        private double learningRate;
        private LearningRateSchedule schedule;
        private double weightDecay;
        private int batchSize;
        private int maxEpochs;
        private int patience;
        private int beam;
        private int validationUsers;

        private Builder(TigerConfig c) {
            dModel = c.dModel;
            heads = c.heads;
            headDim = c.headDim;
            dFf = c.dFf;
            encoderLayers = c.encoderLayers;
            decoderLayers = c.decoderLayers;
            dropout = c.dropout;
            maxLength = c.maxLength;
            encoderInput = c.encoderInput;
            learningRate = c.learningRate;
            schedule = c.schedule;
            weightDecay = c.weightDecay;
            batchSize = c.batchSize;
            maxEpochs = c.maxEpochs;
            patience = c.patience;
            beam = c.beam;
            validationUsers = c.validationUsers;
        }

        public Builder dModel(int v) { dModel = v; return this; }
        public Builder heads(int v) { heads = v; return this; }
        public Builder headDim(int v) { headDim = v; return this; }
        public Builder dFf(int v) { dFf = v; return this; }
        public Builder encoderLayers(int v) { encoderLayers = v; return this; }
        public Builder decoderLayers(int v) { decoderLayers = v; return this; }
        public Builder dropout(double v) { dropout = v; return this; }
        public Builder maxLength(int v) { maxLength = v; return this; }
        public Builder encoderInput(EncoderInput v) { encoderInput = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder schedule(LearningRateSchedule v) { schedule = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder maxEpochs(int v) { maxEpochs = v; return this; }
        public Builder patience(int v) { patience = v; return this; }
        public Builder beam(int v) { beam = v; return this; }
        public Builder validationUsers(int v) { validationUsers = v; return this; }

        public TigerConfig build() {
            return new TigerConfig(dModel, heads, headDim, dFf, encoderLayers, decoderLayers, dropout, maxLength, encoderInput, learningRate, schedule,
                    weightDecay, batchSize, maxEpochs, patience, beam, validationUsers);
        }
    }
}
