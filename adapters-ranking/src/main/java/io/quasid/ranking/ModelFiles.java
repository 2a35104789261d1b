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

    /** The table saved in {@code file}; fails naming the file when it is not a valid SID table. */
    public static SidTable table(Path file, List<String> items, int[][] sids, int codes) {
        if (items == null || sids == null || items.size() != sids.length || items.isEmpty()) {
            throw new InputFileException(file, "needs as many SIDs as items, and at least one item");
        }
        try {
            Sid[] table = new Sid[sids.length];
            for (int i = 0; i < sids.length; i++) {
                table[i] = Sid.of(sids[i]);
            }
            return new SidTable(items, table, new CodebookShape(table[0].levels(), codes));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InputFileException(file, "holds an invalid SID table: " + e.getMessage());
        }
    }
}
