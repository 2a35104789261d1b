package io.quasid.core.data;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.quasid.core.io.InputFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A delimited text file with quoted fields (RFC 4180 quoting, fields may span lines) and a header row. */
final class DelimitedFile {
    /** One data row: its values and the line it starts on. */
    record Row(long line, List<String> fields) {}

    private final Path file;
    private final List<String> header;
    private final List<Row> rows;

    private DelimitedFile(Path file, List<String> header, List<Row> rows) {
        this.file = file;
        this.header = header;
        this.rows = rows;
    }

    /** Reads the whole file; fails with file and line on a parse error or an empty file. */
    static DelimitedFile read(Path file, char separator) {
        requireReadable(file);
        List<String> header = null;
        List<Row> rows = new ArrayList<>();
        try (CsvReader<CsvRecord> reader = CsvReader.builder()
                .fieldSeparator(separator)
                .quoteCharacter('"')
                .skipEmptyLines(true)
                .allowExtraFields(true)
                .allowMissingFields(true)
                .detectBomHeader(true)
                .ofCsvRecord(file, StandardCharsets.UTF_8)) {
            for (CsvRecord record : reader) {
                if (header == null) {
                    header = List.copyOf(record.getFields());
                } else {
                    rows.add(new Row(record.getStartingLineNumber(), record.getFields()));
                }
            }
        } catch (CsvParseException e) {
            throw new InputFileException(file, "cannot parse: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new InputFileException(file, "cannot parse: " + e.getMessage());
        }
        if (header == null) {
            throw new InputFileException(file, "the file is empty: a header row is required");
        }
        return new DelimitedFile(file, header, rows);
    }

    static void requireReadable(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InputFileException(file, "file does not exist");
        }
        if (!Files.isReadable(file)) {
            throw new InputFileException(file, "file is not readable");
        }
    }

    Path file() {
        return file;
    }

    List<Row> rows() {
        return rows;
    }

    /**
     * The position of each header column, by name; a column's name is the part before ':' (RecBole
     * writes {@code name:type}). Fails naming the file if a required column is missing.
     */
    Map<String, Integer> columns(List<String> required) {
        Map<String, Integer> columns = new HashMap<>();
        for (int c = 0; c < header.size(); c++) {
            String name = header.get(c).trim();
            int colon = name.indexOf(':');
            columns.putIfAbsent((colon >= 0 ? name.substring(0, colon) : name).toLowerCase(java.util.Locale.ROOT), c);
        }
        for (String column : required) {
            if (!columns.containsKey(column)) {
                throw new InputFileException(file, 1, "the header has no column '" + column + "'; it has " + header);
            }
        }
        return columns;
    }

    /** Fails with file and line unless {@code row} has exactly as many fields as the header. */
    void requireWidth(Row row) {
        if (row.fields().size() != header.size()) {
            throw new InputFileException(file, row.line(), "expected " + header.size() + " fields as in the header, found "
                    + row.fields().size());
        }
    }
}
