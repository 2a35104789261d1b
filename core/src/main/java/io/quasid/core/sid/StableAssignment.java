package io.quasid.core.sid;

import io.quasid.spi.Sid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SIDs over time: a published table's items keep their codes and de-duplication codes on every later
 * call; an item it lacks gets the tokenizer's codes and the next free de-duplication code of its SID (new
 * items in item-id order, so the result is the same for the same input). The summary says how many new
 * items share their whole SID with a published one, and how deep their longest shared prefix goes.
 */
public final class StableAssignment {
    private StableAssignment() {}

    /**
     * What an assignment did: the published items kept, the new ones added, how many new items' SIDs a
     * published item already holds ({@code colliding_with_published}) or another new item holds
     * ({@code colliding_among_new}), and per depth {@code 0..L} the number of new items whose longest prefix
     * shared with any published SID has that many levels ({@code shared_prefix}; {@code L}: the whole SID).
     */
    public record Summary(int published, int added, int collidingWithPublished, int collidingAmongNew, int[] sharedPrefix) {
        /** The summary as {@code quasid assign} prints it and records it in {@code sids.meta.json}. */
        public Map<String, Object> json() {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            out.put("published", published);
            out.put("added", added);
            out.put("colliding_with_published", collidingWithPublished);
            out.put("colliding_among_new", collidingAmongNew);
            out.put("shared_prefix", sharedPrefix);
            return out;
        }
    }

    /**
     * What {@code sids.meta.json} beside an assigned table records: the tokenizer, the codebook, the model and
     * published table's paths, the embeddings' hash ({@code null}: not computed) and the summary.
     */
    public static Map<String, Object> metadata(String tokenizer, io.quasid.spi.CodebookShape shape, Summary summary, java.nio.file.Path model,
                                               java.nio.file.Path published, String embeddingsHash) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("tokenizer", tokenizer);
        out.put("levels", shape.levels());
        out.put("codes", shape.codes());
        out.put("model", model.toAbsolutePath().normalize().toString());
        out.put("published", published == null ? null : published.toAbsolutePath().normalize().toString());
        out.put("embeddings_hash", embeddingsHash);
        out.put("assignment", summary.json());
        return out;
    }

    /** The table and its summary. */
    public record Result(SidTable table, Summary summary) {}

    /**
     * The published table ({@code null}: none yet) extended by the items of {@code assigned} (the tokenizer's
     * SIDs of some items, in any order) that it lacks; the SIDs {@code assigned} gives for published items are
     * ignored. Fails when the two tables' codebook shapes differ.
     */
    public static Result extend(SidTable published, SidTable assigned) {
        if (published == null) {
            return extend(List.of(), new Sid[0], new int[0], assigned);
        }
        requireShape(published.shape(), assigned.shape());
        return extend(published.items(), published.sids(), published.dedups(), assigned);
    }

    /** Fails when the published table's codebook shape is not {@code tokenizer}'s, the shape of the SIDs that would extend it. */
    public static void requireShape(io.quasid.spi.CodebookShape published, io.quasid.spi.CodebookShape tokenizer) {
        if (!published.equals(tokenizer)) {
            throw new IllegalArgumentException("the published SIDs have codebook " + published + " but the tokenizer makes "
                    + tokenizer + ": a published table can only be extended by the tokenizer that made it");
        }
    }

    private static Result extend(List<String> publishedItems, Sid[] publishedSids, int[] publishedDedup, SidTable assigned) {
        Set<String> known = new HashSet<>(publishedItems);
        List<Integer> fresh = new ArrayList<>();
        for (int i = 0; i < assigned.size(); i++) {
            if (!known.contains(assigned.item(i))) {
                fresh.add(i);
            }
        }
        fresh.sort((a, b) -> assigned.item(a).compareTo(assigned.item(b)));
        int levels = assigned.levels();
        Map<Sid, Integer> nextFree = new HashMap<>();
        List<Set<List<Integer>>> prefixes = new ArrayList<>();
        for (int l = 0; l <= levels; l++) {
            prefixes.add(new HashSet<>());
        }
        int kept = publishedItems.size();
        for (int i = 0; i < kept; i++) {
            nextFree.merge(publishedSids[i], publishedDedup[i] + 1, Math::max);
            for (int l = 1; l <= levels; l++) {
                prefixes.get(l).add(prefix(publishedSids[i], l));
            }
        }
        int n = kept + fresh.size();
        List<String> items = new ArrayList<>(publishedItems);
        Sid[] sids = Arrays.copyOf(publishedSids, n);
        int[] dedup = Arrays.copyOf(publishedDedup, n);
        int withPublished = 0;
        int amongNew = 0;
        int[] depth = new int[levels + 1];
        Set<Sid> newSids = new HashSet<>();
        for (int k = 0; k < fresh.size(); k++) {
            int row = kept + k;
            Sid sid = assigned.sid(fresh.get(k));
            items.add(assigned.item(fresh.get(k)));
            sids[row] = sid;
            dedup[row] = nextFree.merge(sid, 1, Integer::sum) - 1;
            int shared = 0;
            while (shared < levels && prefixes.get(shared + 1).contains(prefix(sid, shared + 1))) {
                shared++;
            }
            depth[shared]++;
            withPublished += shared == levels ? 1 : 0;
            amongNew += newSids.add(sid) || shared == levels ? 0 : 1;
        }
        SidTable table = new SidTable(items, sids, dedup, assigned.shape());
        return new Result(table, new Summary(kept, fresh.size(), withPublished, amongNew, depth));
    }

    private static List<Integer> prefix(Sid sid, int length) {
        List<Integer> p = new ArrayList<>(length);
        for (int l = 0; l < length; l++) {
            p.add(sid.code(l));
        }
        return p;
    }
}
