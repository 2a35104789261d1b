package io.quasid.core.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** The items of a data set in file order; an item's position is its catalogue index. */
public final class Catalogue {
    private final List<Item> items;
    private final Map<String, Integer> index;

    public Catalogue(List<Item> items) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("the catalogue is empty: a data set needs at least one item");
        }
        this.items = List.copyOf(items);
        this.index = new HashMap<>(items.size() * 2);
        for (int i = 0; i < items.size(); i++) {
            Integer previous = index.putIfAbsent(items.get(i).id(), i);
            if (previous != null) {
                throw new IllegalArgumentException("item id '" + items.get(i).id() + "' appears twice in the catalogue (entries "
                        + (previous + 1) + " and " + (i + 1) + ")");
            }
        }
    }

    public int size() {
        return items.size();
    }

    public Item item(int index) {
        return items.get(index);
    }

    public List<Item> items() {
        return items;
    }

    /** The catalogue index of {@code id}, if present. */
    public OptionalInt indexOf(String id) {
        Integer i = index.get(id);
        return i == null ? OptionalInt.empty() : OptionalInt.of(i);
    }

    /** The ids in catalogue order. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>(items.size());
        for (Item item : items) {
            ids.add(item.id());
        }
        return ids;
    }

    /** Number of items with a known price. */
    public int pricedItems() {
        int n = 0;
        for (Item item : items) {
            if (item.hasPrice()) {
                n++;
            }
        }
        return n;
    }
}
