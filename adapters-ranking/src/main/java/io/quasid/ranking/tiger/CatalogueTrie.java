package io.quasid.ranking.tiger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The prefix tree of the catalogue's token sequences: which tokens may follow a prefix so that the
 * sequence still names an item, and which item a full sequence names. Node 0 is the empty prefix.
 */
public final class CatalogueTrie {
    private final List<Map<Integer, Integer>> children = new ArrayList<>();
    private final List<int[]> allowed = new ArrayList<>();
    private final Map<Integer, Integer> itemAt = new HashMap<>();
    private final int depth;

    public CatalogueTrie(ItemTokens tokens) {
        this.depth = tokens.length();
        children.add(new HashMap<>());
        for (int i = 0; i < tokens.items(); i++) {
            int node = 0;
            for (int l = 0; l < depth; l++) {
                int token = tokens.token(i, l);
                Integer next = children.get(node).get(token);
                if (next == null) {
                    next = children.size();
                    children.add(new HashMap<>());
                    children.get(node).put(token, next);
                }
                node = next;
            }
            if (itemAt.putIfAbsent(node, i) != null) {
                throw new IllegalArgumentException("items " + itemAt.get(node) + " and " + i + " have the same tokens");
            }
        }
        for (Map<Integer, Integer> c : children) {
            allowed.add(c.keySet().stream().mapToInt(Integer::intValue).sorted().toArray());
        }
    }

    /** Tokens per item. */
    public int depth() {
        return depth;
    }

    /** The tokens that may follow {@code node}, ascending. */
    public int[] next(int node) {
        return allowed.get(node);
    }

    /** The node reached from {@code node} by {@code token}; fails if the token may not follow. */
    public int child(int node, int token) {
        Integer c = children.get(node).get(token);
        if (c == null) {
            throw new IllegalArgumentException("token " + token + " may not follow node " + node);
        }
        return c;
    }

    /** The item a full sequence ends at. */
    public int item(int leaf) {
        Integer i = itemAt.get(leaf);
        if (i == null) {
            throw new IllegalArgumentException("node " + leaf + " is not a full item sequence");
        }
        return i;
    }
}
