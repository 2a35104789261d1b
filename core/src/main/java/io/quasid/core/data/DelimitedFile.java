package io.quasid.core.data;

import io.quasid.core.io.InputFileException;
import java.io.IOException;
import java.io.Reader;
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

    /** Reads the whole file; fails with file and line on an unclosed quote or an empty file. */
    static DelimitedFile read(Path file, char separator) {
        requireReadable(file);
        List<List<String>> records = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            parse(file, reader, separator, records, lines);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw io.quasid.core.io.Utf8.notUtf8(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (records.isEmpty()) {
            throw new InputFileException(file, "the file is empty: a header row is required");
        }
        List<Row> rows = new ArrayList<>(records.size() - 1);
        for (int r = 1; r < records.size(); r++) {
            rows.add(new Row(lines.get(r), records.get(r)));
        }
        return new DelimitedFile(file, List.copyOf(records.get(0)), rows);
    }

    /**
     * RFC 4180 with a chosen separator: a field that starts with {@code "} is quoted, may hold separators
     * and line breaks, and writes a quote as {@code ""}; blank lines are skipped.
     */
    private static void parse(Path file, Reader in, char separator, List<List<String>> records, List<Long> lines)
            throws IOException {
        long line = 1;
        long recordLine = 1;
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean afterQuote = false;
        boolean fieldStarted = false;
        int c = in.read();
        if (c == '\uFEFF') {
            c = in.read();
        }
        for (; c != -1; c = in.read()) {
            if (quoted) {
                if (c == '"') {
                    in.mark(1);
                    int next = in.read();
                    if (next == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        afterQuote = true;
                        if (next != -1) {
                            in.reset();
                        }
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append((char) c);
                }
            } else if (c == separator) {
                record.add(field.toString());
                field.setLength(0);
                afterQuote = false;
                fieldStarted = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r') {
                    in.mark(1);
                    if (in.read() != '\n') {
                        in.reset();
                    }
                }
                if (fieldStarted || field.length() > 0 || afterQuote) {
                    record.add(field.toString());
                    records.add(record);
                    lines.add(recordLine);
                }
                record = new ArrayList<>();
                field.setLength(0);
                afterQuote = false;
                fieldStarted = false;
                line++;
                recordLine = line;
            } else if (c == '"' && field.length() == 0 && !afterQuote) {
                quoted = true;
                fieldStarted = true;
            } else {
                if (afterQuote) {
                    throw new InputFileException(file, line, "unexpected '" + (char) c + "' after a closing quote;"
                            + " a quote inside a quoted field is written as two quotes");
                }
                field.append((char) c);
                fieldStarted = true;
            }
        }
        if (quoted) {
            throw new InputFileException(file, recordLine, "a quoted field opened here is never closed");
        }
        if (fieldStarted || field.length() > 0 || afterQuote) {
            record.add(field.toString());
            records.add(record);
            lines.add(recordLine);
        }
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
