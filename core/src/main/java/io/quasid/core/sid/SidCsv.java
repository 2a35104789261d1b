package io.quasid.core.sid;

import com.fasterxml.jackson.databind.JsonNode;
import io.quasid.core.io.AtomicFiles;
import io.quasid.core.io.InputFileException;
import io.quasid.core.io.Json;
import io.quasid.spi.CodebookShape;
import io.quasid.spi.Sid;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes an SID table as CSV: header {@code item_id,c1,...,cL[,d]}, then one item a row, {@code d}
 * being the de-duplication code ({@link SidTable#dedup}; a table without it gets them in item-id order); beside
 * it {@code <name>.meta.json} may give the codebook size ({@code codes}); without it the table's codebook is the
 * smallest that fits its codes. Written tables always hold {@code d}.
 */
public final class SidCsv {
    /** The largest codebook size a table may declare or imply (per-level arrays are sized by it). */
    public static final int MAX_CODES = 1 << 20;

    private SidCsv() {}

    /**
     * Reads a table; fails with file and line on a bad header, ragged rows, non-integer or negative codes,
     * codes outside the codebook (its metadata's {@code codes}, else {@link #MAX_CODES}), duplicates.
     */
    public static SidTable read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InputFileException(file, "SID file does not exist");
        }
        Integer declared = declaredCodes(file);
        Limit limit = new Limit(declared, metadataFile(file).getFileName().toString());
        List<String> items = new ArrayList<>();
        List<Sid> sids = new ArrayList<>();
        List<Integer> dedup = new ArrayList<>();
        Layout layout;
        Map<String, Long> seen = new HashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            layout = layout(file, reader.readLine());
            String text;
            long line = 1;
            while ((text = reader.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                Line row = parse(file, line, text, layout, limit);
                Long previous = seen.putIfAbsent(row.item(), line);
                if (previous != null) {
                    throw itemTwice(file, line, row.item(), previous);
                }
                items.add(row.item());
                sids.add(Sid.of(row.codes()));
                dedup.add(row.d());
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw io.quasid.core.io.Utf8.notUtf8(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (items.isEmpty()) {
            throw noRows(file);
        }
        Sid[] all = sids.toArray(Sid[]::new);
        int[] d = layout.hasDedup() ? dedup.stream().mapToInt(Integer::intValue).toArray() : null;
        CodebookShape shape = new CodebookShape(all[0].levels(), declared != null ? declared : SidTable.minimumCodes(all));
        SidTable table;
        try {
            table = new SidTable(items, all, d, shape);
        } catch (IllegalArgumentException e) {
            throw new InputFileException(file, e.getMessage());
        }
        if (declared != null) {
            return table;
        }
        LoggerFactory.getLogger(SidCsv.class).warn("codebook size of {} unknown (no 'codes' in {}): using the largest code + 1 = {}", file,
                metadataFile(file).getFileName(), table.shape().codes());
        return table;
    }

    /** The error of an item on {@code line} of {@code file} that already has an SID on line {@code previous}. */
    public static InputFileException itemTwice(Path file, long line, String item, long previous) {
        return new InputFileException(file, line, "item " + item + " already has an SID on line " + previous);
    }

    /** The error of a table with a header and no rows. */
    public static InputFileException noRows(Path file) {
        return new InputFileException(file, "no SIDs: the file has a header but no rows");
    }

    /** The columns of an SID CSV: {@code levels} codes, and a de-duplication code {@code d} or none. */
    public record Layout(int levels, boolean hasDedup) implements java.io.Serializable {
        int fields() {
            return levels + (hasDedup ? 2 : 1);
        }
    }

    /** The codes a table allows: below its metadata's {@code codes} ({@code declared}; null: below {@link #MAX_CODES}), which {@code metadata} names. */
    public record Limit(Integer declared, String metadata) implements java.io.Serializable {
        int codes() {
            return declared != null ? declared : MAX_CODES;
        }

        String allowed() {
            return declared != null ? "the codebook has " + declared + " codes, 0.." + (declared - 1) + " (codes in " + metadata + ")"
                    : "codes are below " + MAX_CODES;
        }
    }

    /** One row of an SID CSV: the item, its codes and its de-duplication code (-1 when the table has none). */
    public record Line(String item, int[] codes, int d) {}

    /** The layout the header line {@code header} (null: an empty file) of {@code file} gives; fails naming line 1. */
    public static Layout layout(Path file, String header) {
        if (header == null) {
            throw new InputFileException(file, 1, "empty file: expected the header item_id,c1,...,cL[,d]");
        }
        String[] columns = header.replace("\uFEFF", "").strip().split(",", -1);
        boolean hasDedup = columns.length > 2 && columns[columns.length - 1].strip().equals("d");
        int levels = columns.length - 1 - (hasDedup ? 1 : 0);
        if (levels < 1 || !columns[0].strip().equals("item_id")) {
            throw new InputFileException(file, 1, "the header must be item_id,c1,...,cL[,d]; found '" + header + "'");
        }
        for (int l = 1; l <= levels; l++) {
            if (!columns[l].strip().equals("c" + l)) {
                throw new InputFileException(file, 1, "header column " + (l + 1) + " must be 'c" + l + "', found '" + columns[l] + "'");
            }
        }
        return new Layout(levels, hasDedup);
    }

    /** Row {@code text} (not blank) on line {@code line} of {@code file}; fails naming the file, the line and the field. */
    public static Line parse(Path file, long line, String text, Layout layout, Limit limit) {
        String[] fields = text.split(",", -1);
        if (fields.length != layout.fields()) {
            throw new InputFileException(file, line, "expected " + layout.fields() + " fields (item_id, " + layout.levels()
                    + " codes" + (layout.hasDedup() ? ", d" : "") + "), found " + fields.length);
        }
        String item = fields[0].strip();
        if (item.isEmpty()) {
            throw new InputFileException(file, line, "empty item_id");
        }
        int[] codes = new int[layout.levels()];
        for (int l = 0; l < codes.length; l++) {
            String value = fields[l + 1].strip();
            try {
                codes[l] = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new InputFileException(file, line, "c" + (l + 1) + " = '" + value + "' is not an integer code");
            }
            if (codes[l] < 0) {
                throw new InputFileException(file, line, "c" + (l + 1) + " = " + codes[l] + " is negative: codes are 0..K-1");
            }
            if (codes[l] >= limit.codes()) {
                throw new InputFileException(file, line, "c" + (l + 1) + " = " + codes[l] + " is out of range: " + limit.allowed());
            }
        }
        int d = -1;
        if (layout.hasDedup()) {
            String value = fields[codes.length + 1].strip();
            try {
                d = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new InputFileException(file, line, "d = '" + value + "' is not an integer de-duplication code");
            }
            if (d < 0) {
                throw new InputFileException(file, line, "d = " + value + " is negative");
            }
        }
        return new Line(item, codes, d);
    }

    /** The metadata file written beside an SID table: {@code sids.csv} -> {@code sids.meta.json}. */
    public static Path metadataFile(Path csv) {
        String name = csv.getFileName().toString();
        String stem = name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
        return csv.resolveSibling(stem + ".meta.json");
    }

    /** {@code codes} of the metadata beside {@code csv}, null when it has none; fails naming the file when it is out of [2, MAX_CODES]. */
    public static Integer declaredCodes(Path csv) {
        Path meta = metadataFile(csv);
        if (!Files.isRegularFile(meta)) {
            return null;
        }
        JsonNode k = Json.read(meta).path("codes");
        if (k.isMissingNode() || k.isNull()) {
            return null;
        }
        if (!k.isInt() || k.intValue() < 2 || k.intValue() > MAX_CODES) {
            throw new InputFileException(meta, "codes = " + k + " is out of range: an integer in [2, " + MAX_CODES + "]");
        }
        return k.intValue();
    }

    /** Writes {@code table} atomically. */
    public static void write(Path file, SidTable table) {
        AtomicFiles.write(file, out -> {
            Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(header(table.levels()));
            w.write('\n');
            for (int i = 0; i < table.size(); i++) {
                w.write(row(table.item(i), table.sid(i), table.dedup(i)));
                w.write('\n');
            }
            w.flush();
        });
    }

    /** The header line of a table of {@code levels} codes, without its line end: {@code item_id,c1,...,cL,d}. */
    public static String header(int levels) {
        StringBuilder line = new StringBuilder("item_id");
        for (int l = 1; l <= levels; l++) {
            line.append(",c").append(l);
        }
        return line.append(",d").toString();
    }

    /** One item's line, without its line end; fails on an item id holding a comma or a newline. */
    public static String row(String item, Sid sid, int dedup) {
        if (item.contains(",") || item.contains("\n")) {
            throw new IllegalArgumentException("item id '" + item + "' contains a comma or newline and cannot be written to an SID CSV");
        }
        StringBuilder line = new StringBuilder(item);
        for (int l = 0; l < sid.levels(); l++) {
            line.append(',').append(sid.code(l));
        }
        return line.append(',').append(dedup).toString();
    }
}
