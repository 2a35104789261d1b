package io.quasid.core.data;

import java.util.List;

/**
 * One catalogue item: its id, title, brand (empty if unknown), categories (root first) and price
 * ({@code NaN} if unknown).
 */
public record Item(String id, String title, String brand, List<String> categories, double price) {
    public Item {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("an item needs a non-empty id");
        }
        title = title == null ? "" : title;
        brand = brand == null ? "" : brand;
        categories = List.copyOf(categories);
        if (!Double.isNaN(price) && !(price >= 0 && Double.isFinite(price))) {
            throw new IllegalArgumentException("item " + id + " has price " + price + ": allowed a finite value >= 0, or none");
        }
    }

    public boolean hasPrice() {
        return !Double.isNaN(price);
    }
}
