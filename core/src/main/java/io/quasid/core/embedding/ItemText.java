package io.quasid.core.embedding;

import io.quasid.core.data.Catalogue;
import io.quasid.core.data.Item;
import java.util.List;
import java.util.Locale;

/** The text an item is embedded from: title, brand, category path and price, absent parts left out. */
public final class ItemText {
    /** Changes whenever the template below changes, so cached embeddings of the old text are not reused. */
    public static final String TEMPLATE_VERSION = "item-text-v1";

    private ItemText() {}

    /** E.g. {@code "Shea Butter Lotion. Brand: Acme. Category: Beauty > Skin Care > Body. Price: $12.50."}. */
    public static String of(Item item) {
        StringBuilder b = new StringBuilder(item.title().strip().replaceAll("\\s+", " "));
        if (b.length() > 0 && !endsWithPunctuation(b)) {
            b.append('.');
        }
        if (!item.brand().isEmpty()) {
            b.append(" Brand: ").append(item.brand()).append('.');
        }
        if (!item.categories().isEmpty()) {
            b.append(" Category: ").append(String.join(" > ", item.categories())).append('.');
        }
        if (item.hasPrice()) {
            b.append(String.format(Locale.ROOT, " Price: $%.2f.", item.price()));
        }
        String text = b.toString().strip();
        return text.isEmpty() ? item.id() : text;
    }

    /** The texts of every catalogue item, in catalogue order. */
    public static List<String> of(Catalogue catalogue) {
        return catalogue.items().stream().map(ItemText::of).toList();
    }

    private static boolean endsWithPunctuation(StringBuilder b) {
        char last = b.charAt(b.length() - 1);
        return last == '.' || last == '!' || last == '?';
    }
}
