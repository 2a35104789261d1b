package io.quasid.core.io;

import io.quasid.spi.Embeddings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The item id of each row of an embeddings matrix: a text file beside the {@code .npy}, one id a line. */
public final class ItemList {
    private ItemList() {}

    /** {@code emb.npy} -> {@code emb.items.txt}: the item id of each row. */
    public static Path itemsFile(Path npy) {
        String name = npy.getFileName().toString();
        String stem = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
        return npy.resolveSibling(stem + ".items.txt");
    }

    /** The item id of each row of {@code matrix}, as {@code itemsFile} lists them (one a line); fails naming the file on a count that differs or an id given twice. */
    public static List<String> rowIds(Embeddings matrix, Path itemsFile) {
        return rowIds(matrix.rows(), itemsFile);
    }

    /** The item id of each of {@code rows} embedding rows, as {@code itemsFile} lists them; the same checks as {@link #rowIds(Embeddings, Path)}. */
    public static List<String> rowIds(long rows, Path itemsFile) {
        List<String> rowIds;
        try {
            rowIds = Files.readAllLines(itemsFile).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        } catch (NoSuchFileException e) {
            throw new InputFileException(itemsFile, "item list does not exist: give --items, one item id per embedding row");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw Utf8.notUtf8(itemsFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + itemsFile + ": " + e.getMessage(), e);
        }
        if (rowIds.size() != rows) {
            throw new InputFileException(itemsFile, "lists " + rowIds.size() + " items, the embeddings have " + rows + " rows");
        }
        Map<String, Integer> line = new HashMap<>();
        for (int i = 0; i < rowIds.size(); i++) {
            Integer earlier = line.putIfAbsent(rowIds.get(i), i + 1);
            if (earlier != null) {
                throw new InputFileException(itemsFile, i + 1, "item " + rowIds.get(i) + " is listed again (first on line " + earlier + ")");
            }
        }
        return rowIds;
    }
}
