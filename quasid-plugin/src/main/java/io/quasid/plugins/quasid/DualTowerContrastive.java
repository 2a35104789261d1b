package io.quasid.plugins.quasid;

import io.quasid.spi.LossTerm;
import io.quasid.spi.PairLosses;
import io.quasid.spi.Scalars;
import io.quasid.spi.SidLoss;
import io.quasid.spi.TrainingBatch;
import io.quasid.spi.ValidPairs;
import jakarta.inject.Inject;

/**
 * The dual-tower contrastive objective (METHOD.md §3.3) with weight {@code lambda_cl}: symmetric in-batch
 * InfoNCE over the (trigger, target) rows with the false-negative mask ({@link PairLosses#infoNce}).
 * Both towers share the encoder.
 */
public final class DualTowerContrastive implements SidLoss {
    public static final String NAME = "quasid.contrastive";

    private final QuaSidConfig config;

    @Inject
    public DualTowerContrastive(QuaSidConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean requiresPairs() {
        return config.contrastive();
    }

    @Override
    public LossTerm compute(TrainingBatch batch, ValidPairs validPairs) {
        if (!config.contrastive() || batch.layout().pairs() == 0) {
            return LossTerm.of(Scalars.mul(batch.z().sum(), 0));
        }
        PairLosses.InfoNce infoNce = PairLosses.infoNce(batch, config.tau());
        return new LossTerm(Scalars.mul(infoNce.loss(), config.lambdaCl()), infoNce.diagnostics());
    }
}
