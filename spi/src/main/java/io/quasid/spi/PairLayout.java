package io.quasid.spi;

/**
 * How the rows of a training batch are laid out (METHOD.md §2): either {@code rows} independent items
 * ({@code pairs == 0}), or {@code B = pairs} (trigger, target) pairs with triggers in rows {@code 0..B-1}
 * and their targets in rows {@code B..2B-1}, optionally followed by independent items in rows
 * {@code 2B..rows-1} (a tokenizer may add them so that items in no pair are trained on too).
 */
public record PairLayout(int rows, int pairs) {
    public PairLayout {
        Settings.inRange("rows", rows, 1, Integer.MAX_VALUE);
        Settings.inRange("pairs", pairs, 0, Integer.MAX_VALUE);
        if (2L * pairs > rows) {
            throw new IllegalArgumentException("a batch of " + pairs + " pairs has at least " + 2L * pairs + " rows, got " + rows);
        }
    }

    /** A batch of {@code rows} independent items. */
    public static PairLayout items(int rows) {
        return new PairLayout(rows, 0);
    }

    /** A batch of {@code pairs} (trigger, target) pairs in {@code 2 * pairs} rows. */
    public static PairLayout pairs(int pairs) {
        return new PairLayout(2 * pairs, pairs);
    }

    /** A batch of {@code pairs} (trigger, target) pairs followed by {@code items} independent items. */
    public static PairLayout pairs(int pairs, int items) {
        return new PairLayout(2 * pairs + items, pairs);
    }

    public boolean paired() {
        return pairs > 0;
    }

    /** The row holding the constructed partner of {@code row}, or -1 for a row outside the pairs. */
    public int partner(int row) {
        if (row >= 2 * pairs) {
            return -1;
        }
        return row < pairs ? row + pairs : row - pairs;
    }
}
