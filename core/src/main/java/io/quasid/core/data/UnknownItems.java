package io.quasid.core.data;

/** What to do with an interaction whose item is not in the item metadata. */
public enum UnknownItems {
    /** Stop with the count and the first examples. */
    FAIL,
    /** Drop those interactions, log the count and the first examples. */
    SKIP
}
