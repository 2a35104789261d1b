package io.quasid.plugins.quasid;

import io.quasid.spi.CodebookShape;
import io.quasid.spi.Setting;
import io.quasid.spi.Settings;

/**
 * QuaSID settings with the defaults of METHOD.md §3 (offline: {@code R = 1}). {@code mask},
 * {@code repulsion} and {@code contrastive} switch the three parts on and off for the paper's ablation.
 */
public record QuaSidConfig(
        @Setting("R: the partial tier holds pairs whose SIDs differ in 1..R levels") int radius,
        @Setting("margin of the full-collision tier (cosine distance, 0..2)") double mFull,
        @Setting("margin of the partial-collision tier") double mPartial,
        @Setting("weight of the full tier") double lambdaFull,
        @Setting("weight of the partial tier") double lambdaPartial,
        @Setting("temperature of the contrastive loss") double tau,
        @Setting("weight of the contrastive loss") double lambdaCl,
        @Setting("CVPM on: protocol-made overlaps (same item, constructed pair) are not repelled") boolean mask,
        @Setting("HaMR on: its value joins the loss (its diagnostics are reported either way)") boolean repulsion,
        @Setting("dual-tower contrastive loss on; it trains on (trigger, target) pair batches") boolean contrastive) {
    public static final QuaSidConfig DEFAULTS = new QuaSidConfig(1, 0.8, 0.5, 0.2, 0.1, 0.07, 0.1, true, true, true);

    public QuaSidConfig {
        Settings.inRange("radius (R)", radius, 0, CodebookShape.MAX_LEVELS);
        Settings.inRange("m_full", mFull, 0, 2);
        Settings.inRange("m_partial", mPartial, 0, 2);
        Settings.inRange("lambda_full", lambdaFull, 0, 1000);
        Settings.inRange("lambda_partial", lambdaPartial, 0, 1000);
        if (!(tau > 0 && tau <= 10)) {
            throw new IllegalArgumentException("tau = " + tau + " is out of range: allowed (0, 10]");
        }
        Settings.inRange("lambda_cl", lambdaCl, 0, 1000);
    }

    /** The same settings with the three parts switched as given. */
    public QuaSidConfig with(boolean mask, boolean repulsion, boolean contrastive) {
        return new QuaSidConfig(radius, mFull, mPartial, lambdaFull, lambdaPartial, tau, lambdaCl, mask, repulsion, contrastive);
    }
}
