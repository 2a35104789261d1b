package io.quasid.core.data;

import java.util.List;

/**
 * A data set: the catalogue and, per user, the items they interacted with in time order (catalogue
 * indices, oldest first).
 */
public final class Dataset {
    private final String name;
    private final Catalogue catalogue;
    private final List<String> users;
    private final int[][] sequences;

    public Dataset(String name, Catalogue catalogue, List<String> users, int[][] sequences) {
        if (users.size() != sequences.length) {
            throw new IllegalArgumentException(users.size() + " users but " + sequences.length + " sequences");
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException("data set '" + name + "' has no users with interactions");
        }
        this.name = name;
        this.catalogue = catalogue;
        this.users = List.copyOf(users);
        this.sequences = new int[sequences.length][];
        for (int u = 0; u < sequences.length; u++) {
            for (int item : sequences[u]) {
                if (item < 0 || item >= catalogue.size()) {
                    throw new IllegalArgumentException("user " + users.get(u) + " refers to item index " + item
                            + ", the catalogue has " + catalogue.size());
                }
            }
            this.sequences[u] = sequences[u].clone();
        }
    }

    public String name() {
        return name;
    }

    public Catalogue catalogue() {
        return catalogue;
    }

    public int userCount() {
        return users.size();
    }

    public String user(int u) {
        return users.get(u);
    }

    /** User {@code u}'s items, oldest first (a copy). */
    public int[] sequence(int u) {
        return sequences[u].clone();
    }

    /** Length of user {@code u}'s sequence. */
    public int sequenceLength(int u) {
        return sequences[u].length;
    }

    /** Total number of interactions. */
    public long interactions() {
        long n = 0;
        for (int[] s : sequences) {
            n += s.length;
        }
        return n;
    }
}
