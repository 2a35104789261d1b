package io.quasid.ranking;

import io.quasid.core.io.InputFileException;
import io.quasid.core.sid.SidTable;
import io.quasid.spi.CodebookShape;
import io.quasid.spi.Sid;
import java.nio.file.Path;
import java.util.List;

/** How a saved model's {@code model.json} holds its SID table: the item ids, one code array per item and the codebook size. */
public final class ModelFiles {
    private ModelFiles() {}

    /** The table's codes, one array per row. */
    public static int[][] codes(SidTable table) {
        int[][] out = new int[table.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = table.sid(i).codes();
        }
        return out;
    }

    /**
     * The table saved in {@code file}, its de-duplication codes {@code dedup} ({@code null} in files written
     * before they were saved: in item-id order within each SID); fails naming the file when it is not a valid SID table.
     */
    public static SidTable table(Path file, List<String> items, int[][] sids, int[] dedup, int codes) {
        if (items == null || sids == null || items.size() != sids.length || items.isEmpty()) {
            throw new InputFileException(file, "needs as many SIDs as items, and at least one item");
        }
        try {
            Sid[] table = new Sid[sids.length];
            for (int i = 0; i < sids.length; i++) {
                table[i] = Sid.of(sids[i]);
            }
            return new SidTable(items, table, dedup, new CodebookShape(table[0].levels(), codes));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InputFileException(file, "holds an invalid SID table: " + e.getMessage());
        }
    }

    /**
     * Fails unless {@code grown} holds every row of {@code current} first, unchanged (item, SID, de-duplication
     * code), and the same codebook: the only way a model's catalogue may grow.
     */
    public static void requireExtends(SidTable current, SidTable grown) {
        if (!grown.shape().equals(current.shape())) {
            throw new IllegalArgumentException("the new items' SIDs have codebook " + grown.shape() + " but the model's have " + current.shape());
        }
        if (grown.size() < current.size()) {
            throw new IllegalArgumentException(grown.size() + " items cannot extend a catalogue of " + current.size());
        }
        for (int i = 0; i < current.size(); i++) {
            if (!grown.item(i).equals(current.item(i)) || !grown.sid(i).equals(current.sid(i)) || grown.dedup(i) != current.dedup(i)) {
                throw new IllegalArgumentException("row " + (i + 1) + " (item " + current.item(i) + ") differs: a catalogue only grows by new items after its own");
            }
        }
    }
}
