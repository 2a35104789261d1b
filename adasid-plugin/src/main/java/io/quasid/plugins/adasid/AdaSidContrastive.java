package io.quasid.plugins.adasid;

import io.quasid.spi.LossTerm;
import io.quasid.spi.PairLosses;
import io.quasid.spi.Scalars;
import io.quasid.spi.SidLoss;
import io.quasid.spi.TrainingBatch;
import io.quasid.spi.ValidPairs;
import jakarta.inject.Inject;

/**
 * AdaSID's recommendation-alignment term {@code w_cf(p) * L_cl} (METHOD.md §4): the dual-tower
 * in-batch InfoNCE over the (trigger, target) rows, weighted by the PAR schedule.
 */
public final class AdaSidContrastive implements SidLoss {
    public static final String NAME = "adasid.contrastive";

    private final AdaSidConfig config;

    @Inject
    public AdaSidContrastive(AdaSidConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean requiresPairs() {
        return config.lambdaCfMax() > 0;
    }

    @Override
    public LossTerm compute(TrainingBatch batch, ValidPairs validPairs) {
        if (batch.layout().pairs() == 0) {
            return LossTerm.of(Scalars.mul(batch.z().sum(), 0));
        }
        PairLosses.InfoNce infoNce = PairLosses.infoNce(batch, config.tau());
        return new LossTerm(Scalars.mul(infoNce.loss(), config.contrastiveWeight(batch.progress())), infoNce.diagnostics());
    }
}
