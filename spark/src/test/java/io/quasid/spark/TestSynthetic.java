package io.quasid.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.core.io.ItemList;
import io.quasid.core.io.Npy;
import io.quasid.spi.Embeddings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The synthetic embeddings of the scale runs: the same table as Parquet and as a {@code .npy} with its items file. */
final class TestSynthetic {
    @TempDir
    Path dir;

    @Test
    void theNpyHoldsEveryItemOnceInASeededOrderWithTheVectorTheParquetTableGivesIt() throws IOException {
        int items = 300;
        int dimension = 5;
        Path npy = dir.resolve("e.npy");
        Synthetic.embeddingsNpy(npy, ItemList.itemsFile(npy), items, dimension, 3);
        List<String> rows = Files.readAllLines(ItemList.itemsFile(npy));
        Embeddings matrix = Npy.read(npy);
        Map<String, float[]> parquet = new HashMap<>();
        for (Row r : Synthetic.embeddings(LocalSpark.session(), items, dimension, 3, 4).collectAsList()) {
            List<Float> v = r.getList(1);
            float[] values = new float[v.size()];
            for (int d = 0; d < values.length; d++) {
                values[d] = v.get(d);
            }
            parquet.put(r.getString(0), values);
        }
        assertThat(rows).hasSize(items).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(parquet.keySet());
        assertThat(rows.subList(0, 10)).isNotEqualTo(List.of("i0", "i1", "i2", "i3", "i4", "i5", "i6", "i7", "i8", "i9"));
        assertThat(matrix.rows()).isEqualTo(items);
        for (int r = 0; r < items; r++) {
            assertThat(matrix.row(r)).as("row %d, %s", r, rows.get(r)).containsExactly(parquet.get(rows.get(r)));
        }
        Path again = dir.resolve("again.npy");
        Synthetic.embeddingsNpy(again, ItemList.itemsFile(again), items, dimension, 3);
        assertThat(Files.mismatch(npy, again)).isEqualTo(-1);
        assertThat(Files.readAllLines(ItemList.itemsFile(again))).isEqualTo(rows);
    }
}
