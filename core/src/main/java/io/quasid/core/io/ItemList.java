package io.quasid.core.io;

import io.quasid.spi.Embeddings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
        List<String> rowIds = new ArrayList<>();
        List<Integer> lineOf = new ArrayList<>();
        try (Lines lines = new Lines(itemsFile, 0)) {
            for (String id = lines.next(); id != null; id = lines.next()) {
                rowIds.add(id);
                lineOf.add(lines.line);
            }
        }
        if (rowIds.size() != matrix.rows()) {
            throw countDiffers(itemsFile, rowIds.size(), matrix.rows());
        }
        Map<String, Integer> firstLine = new HashMap<>();
        for (int i = 0; i < rowIds.size(); i++) {
            Integer earlier = firstLine.putIfAbsent(rowIds.get(i), lineOf.get(i));
            if (earlier != null) {
                throw new InputFileException(itemsFile, lineOf.get(i), "item " + rowIds.get(i) + " is listed again (first on line " + earlier + ")");
            }
        }
        return java.util.Collections.unmodifiableList(rowIds);
    }

    private static InputFileException countDiffers(Path itemsFile, long listed, long rows) {
        return new InputFileException(itemsFile, "lists " + listed + " items, the embeddings have " + rows + " rows");
    }

    /** Where each range of rows begins in the items file, and a sample of the ids ({@link #ranges}). */
    public record Ranges(long[] starts, List<String> sample) {}

    /**
     * Where the ids of {@code parts} ranges of {@code rows} embedding rows begin in {@code itemsFile} (range
     * {@code p}: rows {@code rows * p / parts} on): the byte offset of each range's first id, found in one pass
     * that keeps no id but {@code sampleSize} of them (all when there are fewer) drawn uniformly with {@code seed}
     * (reservoir sampling; the same for a seed, in no particular order), so a reader of a range ({@link #idsFrom})
     * needs neither the others nor the whole list. The ids are read as {@link #rowIds} reads them; fails, as it does,
     * naming the file on a count that differs and the line on bytes that are not UTF-8. An id given twice is not
     * looked for here: the reader finds it.
     */
    public static Ranges ranges(long rows, Path itemsFile, int parts, int sampleSize, long seed) {
        if (parts < 1 || parts > Math.max(1, rows)) {
            throw new IllegalArgumentException(parts + " ranges of " + rows + " rows");
        }
        long[] starts = new long[parts];
        String[] sample = new String[sampleSize];
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        long count = 0;
        int p = 0;
        try (Lines lines = new Lines(itemsFile, 0)) {
            for (String id = lines.next(); id != null; id = lines.next()) {
                while (p < parts && rows * p / parts == count) {
                    starts[p++] = lines.start;
                }
                long slot = count < sampleSize ? count : random.nextLong(count + 1);
                if (slot < sampleSize) {
                    sample[(int) slot] = id;
                }
                count++;
            }
        }
        if (count != rows) {
            throw countDiffers(itemsFile, count, rows);
        }
        return new Ranges(starts, List.of(Arrays.copyOf(sample, (int) Math.min(sampleSize, count))));
    }

    /** The {@code count} ids that {@code itemsFile} lists from byte {@code offset} on (a {@link #ranges} offset), read as {@link #rowIds} reads them. */
    public static List<String> idsFrom(Path itemsFile, long offset, int count) {
        List<String> ids = new ArrayList<>(count);
        try (Lines lines = new Lines(itemsFile, offset)) {
            while (ids.size() < count) {
                String id = lines.next();
                if (id == null) {
                    throw new InputFileException(itemsFile, "ends " + ids.size() + " ids after byte " + offset + ", where " + count + " were listed");
                }
                ids.add(id);
            }
        }
        return ids;
    }

    /**
     * The non-blank lines of a UTF-8 file from a byte offset on, stripped, as {@code Files.readAllLines} splits
     * them (at {@code \n}, {@code \r} or both), with the offset of each ({@link #start}). Bytes that are not
     * UTF-8 fail as {@link Utf8#notUtf8} has it, naming the file's first such line.
     */
    private static final class Lines implements AutoCloseable {
        private final Path file;
        private final FileChannel channel;
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).flip();
        private byte[] bytes = new byte[256];
        private long position;
        /** The offset of the line {@link #next} returned last. */
        long start;
        /** The number, counted from the offset (1 for its first line, blank lines counted, CR LF one end), of the line {@link #next} returned last. */
        int line;
        private boolean afterCr;

        Lines(Path file, long offset) {
            this.file = file;
            try {
                channel = FileChannel.open(file);
                try {
                    channel.position(offset);
                } catch (IOException e) {
                    channel.close();
                    throw e;
                }
            } catch (NoSuchFileException e) {
                throw new InputFileException(file, "item list does not exist: give --items, one item id per embedding row");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            this.position = offset;
        }

        /** The next byte, -1 at the end. */
        private int read() throws IOException {
            if (!buffer.hasRemaining()) {
                buffer.clear();
                int got = channel.read(buffer);
                buffer.flip();
                if (got <= 0) {
                    return -1;
                }
            }
            return buffer.get() & 0xff;
        }

        /** The next non-blank line, stripped; null at the end. */
        String next() {
            try {
                while (true) {
                    start = position;
                    int length = 0;
                    boolean ascii = true;
                    int b;
                    while ((b = read()) != -1 && b != '\n' && b != '\r') {
                        if (length == bytes.length) {
                            bytes = Arrays.copyOf(bytes, 2 * length);
                        }
                        bytes[length++] = (byte) b;
                        ascii &= b < 0x80;
                    }
                    position += length + (b == -1 ? 0 : 1);
                    if (b == -1 && length == 0) {
                        return null;
                    }
                    if (!(afterCr && b == '\n' && length == 0)) {
                        line++;
                    }
                    afterCr = b == '\r';
                    String text;
                    if (ascii) { // every byte below 0x80: the same characters in Latin-1, decoded without a check
                        text = new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
                    } else {
                        try {
                            text = utf8.reset().decode(ByteBuffer.wrap(bytes, 0, length)).toString();
                        } catch (CharacterCodingException e) {
                            throw Utf8.notUtf8(file);
                        }
                    }
                    text = text.strip();
                    if (!text.isEmpty()) {
                        return text;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
