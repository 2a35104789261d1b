package io.quasid.core.data;

import io.quasid.core.io.InputFileException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a data set folder in one of two formats:
 * <ul>
 *   <li><b>P5 + RecBole</b>: {@code user_sequence.txt} (one user a line: {@code user item1 item2 ...}, oldest
 *       first) and one RecBole atomic {@code *.item} file (tab separated, {@code name:type} header, quoted fields);</li>
 *   <li><b>CSV</b>: {@code interactions.csv} ({@code user,item[,timestamp]}) and {@code items.csv}
 *       ({@code item[,title][,brand][,categories][,price]}, categories separated by {@code |}).</li>
 * </ul>
 */
public final class DatasetReader {
    public static final String USER_SEQUENCES = "user_sequence.txt";
    public static final String CSV_INTERACTIONS = "interactions.csv";
    public static final String CSV_ITEMS = "items.csv";
    private static final int EXAMPLES = 5;
    private static final Logger LOG = LoggerFactory.getLogger(DatasetReader.class);

    private final UnknownItems unknownItems;

    public DatasetReader(UnknownItems unknownItems) {
        this.unknownItems = unknownItems;
    }

    /** Reads the data set in {@code dir}, choosing the format by the files present. */
    public Dataset read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputFileException(dir, "data folder does not exist or is not a folder");
        }
        if (!Files.isReadable(dir)) {
            throw new InputFileException(dir, "data folder is not readable");
        }
        String name = dir.toAbsolutePath().normalize().getFileName().toString();
        if (Files.exists(dir.resolve(USER_SEQUENCES))) {
            Catalogue catalogue = readAtomicItems(singleItemFile(dir));
            return readUserSequences(name, dir.resolve(USER_SEQUENCES), catalogue);
        }
        if (Files.exists(dir.resolve(CSV_INTERACTIONS))) {
            Catalogue catalogue = readCsvItems(dir.resolve(CSV_ITEMS));
            return readCsvInteractions(name, dir.resolve(CSV_INTERACTIONS), catalogue);
        }
        throw new InputFileException(dir, "no data set here: expected " + USER_SEQUENCES + " with a *.item file, or "
                + CSV_INTERACTIONS + " with " + CSV_ITEMS);
    }

    private static Path singleItemFile(Path dir) {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.item")) {
            files.forEach(found::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (found.size() != 1) {
            throw new InputFileException(dir, "expected exactly one RecBole *.item file beside " + USER_SEQUENCES + ", found "
                    + found.stream().map(p -> p.getFileName().toString()).toList());
        }
        return found.get(0);
    }

    /** Reads a RecBole atomic item file: tab separated, {@code name:type} header, {@code item_id} required. */
    public static Catalogue readAtomicItems(Path file) {
        return readItems(file, '\t', "item_id", ItemFields.RECBOLE_CATEGORIES);
    }

    /** Reads a CSV item file: comma separated, {@code item} column required. */
    public static Catalogue readCsvItems(Path file) {
        return readItems(file, ',', "item", ItemFields.PIPE_CATEGORIES);
    }

    private static Catalogue readItems(Path file, char separator, String idColumn, Function<String, List<String>> categories) {
        DelimitedFile table = DelimitedFile.read(file, separator);
        Map<String, Integer> col = table.columns(List.of(idColumn));
        List<Item> items = new ArrayList<>(table.rows().size());
        for (DelimitedFile.Row row : table.rows()) {
            table.requireWidth(row);
            items.add(item(table, row, col.get(idColumn), col, categories));
        }
        return catalogue(file, items);
    }

    private static Catalogue catalogue(Path file, List<Item> items) {
        if (items.isEmpty()) {
            throw new InputFileException(file, "the catalogue is empty: the file has a header but no items");
        }
        try {
            return new Catalogue(items);
        } catch (IllegalArgumentException e) {
            throw new InputFileException(file, e.getMessage());
        }
    }

    private static Item item(DelimitedFile table, DelimitedFile.Row row, int idColumn, Map<String, Integer> col,
                             Function<String, List<String>> categoryParser) {
        List<String> f = row.fields();
        String id = f.get(idColumn).trim();
        if (id.isEmpty()) {
            throw new InputFileException(table.file(), row.line(), "empty item id");
        }
        String title = field(f, col.get("title"));
        String brand = field(f, col.get("brand"));
        List<String> categories = categoryParser.apply(field(f, col.get("categories")));
        String priceText = field(f, col.get("price")).trim();
        double price = Double.NaN;
        if (!priceText.isEmpty()) {
            try {
                price = Double.parseDouble(priceText);
            } catch (NumberFormatException e) {
                throw new InputFileException(table.file(), row.line(), "price '" + priceText + "' of item " + id + " is not a number");
            }
            if (!(price >= 0) || Double.isInfinite(price)) {
                throw new InputFileException(table.file(), row.line(), "price " + priceText + " of item " + id
                        + " is out of range: allowed a finite value >= 0, or empty");
            }
        }
        return new Item(id, title.strip(), brand.strip(), categories, price);
    }

    private static String field(List<String> fields, Integer column) {
        return column == null ? "" : fields.get(column);
    }

    private Dataset readUserSequences(String name, Path file, Catalogue catalogue) {
        DelimitedFile.requireReadable(file);
        Map<String, int[]> sequences = new LinkedHashMap<>();
        Unknown unknown = new Unknown(file);
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            long line = 0;
            while ((text = reader.readLine()) != null) {
                line++;
                String trimmed = text.strip();
                if (trimmed.isEmpty()) {
                    continue;
                }
                String[] tokens = trimmed.split("\\s+");
                if (tokens.length < 2) {
                    throw new InputFileException(file, line, "user '" + tokens[0] + "' has no items: expected 'user item1 item2 ...'");
                }
                int[] sequence = new int[tokens.length - 1];
                int n = 0;
                for (int t = 1; t < tokens.length; t++) {
                    OptionalInt index = catalogue.indexOf(tokens[t]);
                    if (index.isPresent()) {
                        sequence[n++] = index.getAsInt();
                    } else {
                        unknown.add(tokens[t], line);
                    }
                }
                if (sequences.put(tokens[0], Arrays.copyOf(sequence, n)) != null) {
                    throw new InputFileException(file, line, "user '" + tokens[0] + "' appears on more than one line");
                }
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw io.quasid.core.io.Utf8.notUtf8(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return dataset(name, catalogue, sequences, unknown);
    }

    private Dataset readCsvInteractions(String name, Path file, Catalogue catalogue) {
        DelimitedFile table = DelimitedFile.read(file, ',');
        Map<String, Integer> col = table.columns(List.of("user", "item"));
        Integer timeColumn = col.get("timestamp");
        record Event(int item, double time, int order) {}
        Map<String, List<Event>> events = new LinkedHashMap<>();
        Unknown unknown = new Unknown(file);
        int order = 0;
        for (DelimitedFile.Row row : table.rows()) {
            table.requireWidth(row);
            String user = row.fields().get(col.get("user")).trim();
            String itemId = row.fields().get(col.get("item")).trim();
            if (user.isEmpty() || itemId.isEmpty()) {
                throw new InputFileException(file, row.line(), "empty " + (user.isEmpty() ? "user" : "item") + " field");
            }
            double time = order;
            if (timeColumn != null) {
                String t = row.fields().get(timeColumn).trim();
                try {
                    time = Double.parseDouble(t);
                } catch (NumberFormatException e) {
                    throw new InputFileException(file, row.line(), "timestamp '" + t + "' is not a number");
                }
            }
            OptionalInt index = catalogue.indexOf(itemId);
            if (index.isEmpty()) {
                unknown.add(itemId, row.line());
                continue;
            }
            events.computeIfAbsent(user, u -> new ArrayList<>()).add(new Event(index.getAsInt(), time, order++));
        }
        Map<String, int[]> sequences = new LinkedHashMap<>();
        events.forEach((user, list) -> {
            list.sort((a, b) -> a.time() != b.time() ? Double.compare(a.time(), b.time()) : Integer.compare(a.order(), b.order()));
            sequences.put(user, list.stream().mapToInt(Event::item).toArray());
        });
        return dataset(name, catalogue, sequences, unknown);
    }

    private Dataset dataset(String name, Catalogue catalogue, Map<String, int[]> sequences, Unknown unknown) {
        unknown.resolve(unknownItems);
        sequences.values().removeIf(s -> s.length == 0);
        if (sequences.isEmpty()) {
            throw new InputFileException(unknown.file, "no interactions with known items");
        }
        return new Dataset(name, catalogue, new ArrayList<>(sequences.keySet()), sequences.values().toArray(int[][]::new));
    }

    /** Interactions whose item is not in the metadata: counted, with the first examples. */
    private static final class Unknown {
        final Path file;
        long count;
        final Set<String> distinct = new HashSet<>();
        final List<String> examples = new ArrayList<>();

        Unknown(Path file) {
            this.file = file;
        }

        void add(String item, long line) {
            count++;
            if (distinct.add(item) && examples.size() < EXAMPLES) {
                examples.add(item + " (line " + line + ")");
            }
        }

        void resolve(UnknownItems policy) {
            if (count == 0) {
                return;
            }
            String message = count + " interactions (" + distinct.size() + " distinct items) refer to items absent from the"
                    + " item metadata, e.g. " + examples;
            if (policy == UnknownItems.FAIL) {
                throw new InputFileException(file, message + "; fix the data or pass --unknown-items skip to drop them");
            }
            LOG.warn("{}: {}; skipped them", file, message);
        }
    }
}
