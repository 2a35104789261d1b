package io.quasid.ranking.mahout;

import io.quasid.spi.Settings;

/**
 * Settings of the SID adapters in a Mahout Taste host: {@code sid_weight} is the SID share {@code w} of
 * {@link SidItemSimilarity}, {@code candidate_prefix} the prefix length of {@link SidCandidateItemsStrategy},
 * and {@code spread_penalty} / {@code spread_prefix} those of {@link SidSpreadRescorer} (penalty 0: no rescorer).
 */
public record TasteConfig(double sidWeight, int candidatePrefix, double spreadPenalty, int spreadPrefix) {
    public static final TasteConfig DEFAULTS = new TasteConfig(0.1, 1, 0, 1);

    public TasteConfig {
        Settings.inRange("sid_weight", sidWeight, 0, 1);
        Settings.inRange("candidate_prefix", candidatePrefix, 1, 64);
        Settings.inRange("spread_penalty", spreadPenalty, 0, 1000);
        Settings.inRange("spread_prefix", spreadPrefix, 1, 64);
    }
}
