package io.quasid.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Parsers for the categories field of the two item formats. */
final class ItemFields {
    private ItemFields() {}

    /** CSV items: {@code Beauty|Makeup|Face}. */
    static final Function<String, List<String>> PIPE_CATEGORIES = text -> Arrays.stream(text.split("\\|"))
            .map(String::strip).filter(s -> !s.isEmpty()).toList();

    /**
     * RecBole items: a comma separated list of Python string literals, e.g.
     * {@code 'Beauty', "Women's", 'Eau de Parfum'}; an unquoted list is split on commas.
     */
    static final Function<String, List<String>> RECBOLE_CATEGORIES = ItemFields::pythonStrings;

    private static List<String> pythonStrings(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                StringBuilder value = new StringBuilder();
                int j = i + 1;
                while (j < n && text.charAt(j) != c) {
                    if (text.charAt(j) == '\\' && j + 1 < n) {
                        j++;
                    }
                    value.append(text.charAt(j++));
                }
                add(out, value.toString());
                i = j + 1;
            } else if (c == ',' || Character.isWhitespace(c) || c == '[' || c == ']') {
                i++;
            } else {
                int j = text.indexOf(',', i);
                j = j < 0 ? n : j;
                add(out, text.substring(i, j));
                i = j + 1;
            }
        }
        return out;
    }

    private static void add(List<String> out, String value) {
        String v = value.strip();
        if (!v.isEmpty()) {
            out.add(v);
        }
    }
}
