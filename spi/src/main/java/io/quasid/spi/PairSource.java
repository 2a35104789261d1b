package io.quasid.spi;

/** Collaborative (trigger, target) item pairs for pair batches (METHOD.md §2), as catalogue indices. */
public interface PairSource {
    /** Number of pairs, at least one. */
    int size();

    /** The trigger item of pair {@code k}. */
    int trigger(int k);

    /** The target item of pair {@code k}. */
    int target(int k);
}
