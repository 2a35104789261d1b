package io.quasid.ranking.tiger;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.quasid.spi.Settings;
import java.util.Locale;

/** What the generative retriever's encoder reads of each history item. */
public enum EncoderInput {
    /** The item's {@code L + 1} tokens, each a position of its own with a learned position embedding (METHOD.md §7). The default. */
    TOKENS,
    /**
     * One vector per item, the sum of its {@code L + 1} token embeddings, plus a learned embedding of the item's
     * place in the history: an encoder sequence {@code L + 1} times shorter. The decoder still spells the item token by token.
     */
    ITEMS;

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return key();
    }

    /** The input named {@code key}; fails listing the inputs. */
    @JsonCreator
    public static EncoderInput of(String key) {
        return Settings.key("encoder_input", EncoderInput.class, key);
    }
}
