package io.quasid.cli;

import io.quasid.core.data.Catalogue;
import io.quasid.core.embedding.EmbeddingCache;
import io.quasid.core.embedding.ItemText;
import io.quasid.core.embedding.TextEmbedder;
import io.quasid.core.io.InputFileException;
import io.quasid.core.io.ItemList;
import io.quasid.core.io.Npy;
import io.quasid.spi.Embeddings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The embedding of every catalogue item, in catalogue order: from a given .npy, or embedded (cached). */
final class ItemEmbeddings {
    private ItemEmbeddings() {}

    static Embeddings of(Catalogue catalogue, Path npy, Path cache, int threads) {
        if (npy != null) {
            return aligned(catalogue.ids(), Npy.read(npy), ItemList.itemsFile(npy));
        }
        try (TextEmbedder embedder = new TextEmbedder(threads)) {
            return new EmbeddingCache(cache).embed(ItemText.of(catalogue), embedder);
        }
    }

    /** Writes {@code e} to {@code npy} and the item id of each row ({@code ids}) to its items file, each atomically. */
    static void write(Path npy, List<String> ids, Embeddings e) {
        Npy.write(npy, e);
        io.quasid.core.io.AtomicFiles.writeString(ItemList.itemsFile(npy), String.join("\n", ids) + "\n");
    }

    /** The rows of {@code matrix} (whose row ids {@code itemsFile} lists) in the order of {@code ids}. */
    static Embeddings aligned(List<String> ids, Embeddings matrix, Path itemsFile) {
        List<String> rowIds = ItemList.rowIds(matrix, itemsFile);
        Map<String, Integer> row = new HashMap<>();
        for (int i = 0; i < rowIds.size(); i++) {
            row.put(rowIds.get(i), i);
        }
        int[] order = new int[ids.size()];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Integer r = row.get(ids.get(i));
            if (r == null) {
                missing.add(ids.get(i));
            } else {
                order[i] = r;
            }
        }
        if (!missing.isEmpty()) {
            throw new InputFileException(itemsFile, missing.size() + " items have no embedding, e.g. "
                    + missing.subList(0, Math.min(5, missing.size())));
        }
        return Embeddings.of(matrix.gather(order), ids.size(), matrix.dimension());
    }
}
