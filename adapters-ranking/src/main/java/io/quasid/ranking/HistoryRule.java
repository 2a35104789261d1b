package io.quasid.ranking;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.quasid.spi.Settings;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a list may hold items of the user's own history. One rule for offline evaluation
 * ({@code quasid evaluate --history}) and serving (an A/B arm's {@code history}), so that what is measured
 * is what is served.
 */
public enum HistoryRule {
    /** Lists rank the whole catalogue, history items included: the protocol of the papers' leave-one-out tables. The default. */
    KEEP,
    /** Lists leave out every item of the history; a target the user already had is then a miss. */
    EXCLUDE;

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The rule named {@code key}; fails listing the rules. */
    @JsonCreator
    public static HistoryRule of(String key) {
        return Settings.key("history", HistoryRule.class, key);
    }

    /** The items a list for {@code history} leaves out: none when kept, the history's distinct items when excluded. */
    public Set<Integer> leftOut(int[] history) {
        if (this == KEEP) {
            return Set.of();
        }
        Set<Integer> items = new HashSet<>();
        for (int i : history) {
            items.add(i);
        }
        return items;
    }
}
