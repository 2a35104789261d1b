package io.quasid.ranking.tiger;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.core.io.AtomicFiles;
import io.quasid.core.io.InputFileException;
import io.quasid.core.io.Json;
import io.quasid.core.ranking.RankingMetrics;
import io.quasid.core.sid.SidTable;
import io.quasid.core.training.Weights;
import io.quasid.ranking.HistoryRule;
import io.quasid.ranking.ModelFiles;
import io.quasid.ranking.RankingModel;
import io.quasid.ranking.Scored;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * A trained generative retriever: spells the next item of a history by beam search constrained to the
 * catalogue (METHOD.md §7). Lists hold distinct catalogue items, best first; an item beyond the list is
 * not ranked ({@link #evaluate} counts it as a miss at every cut-off).
 */
public final class TigerModel implements RankingModel {
    /** Version of the saved format ({@code model.json} and {@code weights/*.npy}). */
    public static final int FORMAT_VERSION = 1;
    /** Users decoded together. */
    static final int DECODE_USERS = 64;

    private final TigerNetwork network;
    private final TigerConfig config;
    private final SidTable trained; // the items the network was built for
    // the trained items, then any added for serving (written by addItems only)
    private volatile SidTable sids;
    private volatile ItemTokens tokens;
    private volatile CatalogueTrie trie;

    private TigerModel(TigerConfig config, SidTable sids, Device device, long seed) {
        this.config = config;
        this.trained = sids;
        this.sids = sids;
        this.tokens = ItemTokens.of(sids);
        this.trie = new CatalogueTrie(tokens);
        this.network = new TigerNetwork(config, tokens.vocabularies(), device, seed);
    }

    /** A model of {@code config} for the items of {@code sids}, its weights drawn with {@code seed}. */
    static TigerModel untrained(TigerConfig config, SidTable sids, Device device, long seed) {
        return new TigerModel(config, sids, device, seed);
    }

    public TigerConfig config() {
        return config;
    }

    @Override
    public SidTable sids() {
        return sids;
    }

    ItemTokens tokens() {
        return tokens;
    }

    TigerNetwork network() {
        return network;
    }

    /**
     * The encoder input of each history, {@code (B, T)}: the tokens of its last {@code max_length} items,
     * left-padded to the longest of the batch (so {@code T} is {@code L + 1} times the batch's longest
     * history, not {@code max_length}: all-padding columns change nothing but the time they take).
     */
    NDArray encoderInput(NDManager m, List<int[]> histories) {
        int length = tokens.length();
        int longest = 1;
        for (int[] h : histories) {
            longest = Math.max(longest, Math.min(config.maxLength(), h.length));
        }
        int t = longest * length;
        long[] ids = new long[histories.size() * t];
        java.util.Arrays.fill(ids, network.pad());
        for (int b = 0; b < histories.size(); b++) {
            int[] h = histories.get(b);
            int n = Math.min(longest, h.length);
            for (int k = 0; k < n; k++) {
                int item = h[h.length - n + k];
                for (int l = 0; l < length; l++) {
                    ids[b * t + (longest - n + k) * length + l] = network.id(l, tokens.token(item, l));
                }
            }
        }
        return m.create(ids, new Shape(histories.size(), t));
    }


    /**
     * For each history (item indices, oldest first), the best {@code k} items by beam search, best first,
     * scored by their sequence log-probability; items of the history may be among them.
     */
    public List<List<Scored>> generate(List<int[]> histories, int k) {
        List<List<Scored>> out = new ArrayList<>();
        BeamSearch search = new BeamSearch(trie, Math.max(k, config.beam()));
        for (int from = 0; from < histories.size(); from += DECODE_USERS) {
            List<int[]> batch = histories.subList(from, Math.min(histories.size(), from + DECODE_USERS));
            try (NDManager m = network.manager().newSubManager(); NDScope scope = new NDScope()) {
                NDArray[] encoded = network.encode(encoderInput(m, batch), false);
                TigerNetwork.Decoding decoding = network.startDecoding(encoded[0], encoded[1]);
                out.addAll(search.search(batch.size(), k, (position, prefixes, parents) -> nextTokens(m, decoding, position, prefixes, parents)));
            }
        }
        return out;
    }

    /**
     * The best {@code k} items for each history, following {@code rule}. Kept, a list is beam search's
     * best {@code k} ({@link #generate}). Left out, a history's beam is the configured beam times the
     * fewest rounds that hold {@code k} plus its distinct items (so a list never runs short for want of
     * beam), and histories decode in groups of one beam: a list depends on its own history and {@code k},
     * not on the histories it is batched with.
     */
    @Override
    public List<List<Scored>> recommend(List<int[]> histories, int k, HistoryRule rule) {
        if (rule == HistoryRule.KEEP) {
            return generate(histories, k);
        }
        List<java.util.Set<Integer>> leftOut = new ArrayList<>(histories.size());
        java.util.Map<Integer, List<Integer>> byBeam = new java.util.TreeMap<>();
        for (int b = 0; b < histories.size(); b++) {
            leftOut.add(rule.leftOut(histories.get(b)));
            byBeam.computeIfAbsent(servingBeam(k, leftOut.get(b).size()), w -> new ArrayList<>()).add(b);
        }
        List<List<Scored>> out = new ArrayList<>(java.util.Collections.nCopies(histories.size(), List.<Scored>of()));
        byBeam.forEach((beam, group) -> {
            List<List<Scored>> generated = generate(group.stream().map(histories::get).toList(), beam);
            for (int g = 0; g < group.size(); g++) {
                java.util.Set<Integer> h = leftOut.get(group.get(g));
                out.set(group.get(g), generated.get(g).stream().filter(s -> !h.contains(s.item())).limit(k).toList());
            }
        });
        return out;
    }

    /** The beam for a list of {@code k} items outside a history of {@code historyItems} distinct items (see {@link #recommend}). */
    int servingBeam(int k, int historyItems) {
        int rounds = (k + historyItems + config.beam() - 1) / config.beam();
        return Math.min(sids.size(), rounds * config.beam());
    }

    /**
     * The scorer of {@link BeamSearch}: log-probabilities of position {@code position}'s tokens after each
     * prefix, decoding that position alone after the ones {@code decoding} holds. Every user gets as many decoder
     * rows as the user with the most prefixes (a user with fewer repeats its first prefix in the spare rows,
     * whose scores are dropped), so its rows share its memory.
     */
    private float[][][] nextTokens(NDManager m, TigerNetwork.Decoding decoding, int position, int[][][] prefixes, int[][] parents) {
        int group = 1;
        for (int[][] p : prefixes) {
            group = Math.max(group, p.length);
        }
        int rows = prefixes.length * group;
        int before = decoding.group();
        long[] input = new long[rows];
        long[] from = position == 0 ? null : new long[rows];
        for (int u = 0; u < prefixes.length; u++) {
            for (int h = 0; h < group; h++) {
                int kept = h < prefixes[u].length ? h : 0;
                int r = u * group + h;
                input[r] = position == 0 ? network.bos() : network.id(position - 1, prefixes[u][kept][position - 1]);
                if (from != null) {
                    from[r] = (long) u * before + parents[u][kept];
                }
            }
        }
        NDArray hidden = network.decodeNext(decoding, m.create(input, new Shape(rows)), from, group);
        int v = tokens.vocabulary(position);
        float[] logp = network.logProbabilities(hidden, position).toFloatArray();
        float[][][] out = new float[prefixes.length][][];
        for (int u = 0; u < prefixes.length; u++) {
            out[u] = new float[prefixes[u].length][];
            for (int h = 0; h < prefixes[u].length; h++) {
                int r = u * group + h;
                out[u][h] = java.util.Arrays.copyOfRange(logp, r * v, (r + 1) * v);
            }
        }
        return out;
    }

    /**
     * The target ranks on the lists of 10 that {@link #recommend} makes under {@code rule}; a target outside its
     * list counts as a miss.
     */
    @Override
    public long[] targetRanks(LeaveOneOutSplit split, boolean test, IntPredicate targets, HistoryRule rule) {
        return targetRanks(split, test, targets, rule, null);
    }

    /** {@link #targetRanks(LeaveOneOutSplit, boolean, IntPredicate, HistoryRule)} of the evaluated users that pass {@code users} (all when null). */
    long[] targetRanks(LeaveOneOutSplit split, boolean test, IntPredicate targets, HistoryRule rule, IntPredicate users) {
        int k = RankingMetrics.CUTOFFS.get(RankingMetrics.CUTOFFS.size() - 1);
        record Case(int order, int[] history, int target) {}
        List<Case> cases = new ArrayList<>();
        for (int u = 0; u < split.dataset().userCount(); u++) {
            if (!split.evaluated(u) || users != null && !users.test(u)) {
                continue;
            }
            int target = test ? split.testTarget(u) : split.validationTarget(u);
            if (targets == null || targets.test(target)) {
                // the whole history: the rule leaves all of it out; the encoder reads its last max_length items
                cases.add(new Case(cases.size(), test ? split.testHistory(u, Integer.MAX_VALUE) : split.validationHistory(u, Integer.MAX_VALUE), target));
            }
        }
        // users with histories of one (encoded) length decode together, so a batch pads little; the ranks go back to user order
        List<Case> byLength = new ArrayList<>(cases);
        byLength.sort(java.util.Comparator.comparingInt(c -> Math.min(config.maxLength(), c.history().length)));
        List<List<Scored>> lists = recommend(byLength.stream().map(Case::history).toList(), k, rule);
        long[] ranks = new long[cases.size()];
        for (int b = 0; b < lists.size(); b++) {
            List<Scored> list = lists.get(b);
            int rank = 0;
            while (rank < list.size() && list.get(rank).item() != byLength.get(b).target()) {
                rank++;
            }
            ranks[byLength.get(b).order()] = rank < list.size() ? rank : Integer.MAX_VALUE;
        }
        return ranks;
    }

    /**
     * Grows the catalogue to {@code catalogue}: its first rows must be this model's items unchanged (as
     * {@code StableAssignment.extend} of {@link #sids()} makes it), the others are new items, which beam search
     * can name at once (they join the trie). A new item's de-duplication code must be one the model has a
     * token for. Not concurrent with {@link #recommend}: the caller holds serving off meanwhile (the A/B service does).
     */
    @Override
    public synchronized void addItems(SidTable catalogue) {
        checkAddItems(catalogue);
        ItemTokens grown = ItemTokens.of(catalogue);
        CatalogueTrie grownTrie = new CatalogueTrie(grown);
        tokens = grown;
        trie = grownTrie;
        sids = catalogue;
    }

    @Override
    public void checkAddItems(SidTable catalogue) {
        ModelFiles.requireExtends(sids, catalogue);
        int last = tokens.length() - 1;
        for (int i = sids.size(); i < catalogue.size(); i++) {
            if (catalogue.dedup(i) >= tokens.vocabulary(last)) {
                throw new IllegalArgumentException("item " + catalogue.item(i) + " has de-duplication code " + catalogue.dedup(i)
                        + " but the generative retriever has tokens for 0.." + (tokens.vocabulary(last) - 1)
                        + ": it can name at most " + tokens.vocabulary(last) + " items of one SID");
            }
        }
    }

    /** What {@code model.json} holds besides the weights. */
    record ModelFile(int formatVersion, String kind, TigerConfig config, int levels, int codes, List<String> items, int[][] sids, int[] dedup) {}

    /** Writes {@code model.json} and {@code weights/} into {@code dir}, atomically: the trained model, without items added for serving. */
    @Override
    public void save(Path dir) {
        AtomicFiles.writeDirectory(dir, tmp -> {
            Json.write(tmp.resolve("model.json"), new ModelFile(FORMAT_VERSION, "tiger", config, trained.levels(), trained.shape().codes(), trained.items(),
                    ModelFiles.codes(trained), trained.dedups()));
            Weights.write(Files.createDirectories(tmp.resolve("weights")), network.parameters());
        });
    }

    /** Loads a model saved by {@link #save}; its parameters record no gradients. Fails naming the file when it is not one. */
    public static TigerModel load(Path dir, Device device) {
        Path file = dir.resolve("model.json");
        if (!Files.isRegularFile(file)) {
            throw new InputFileException(dir, "is not a saved generative retriever: model.json is missing");
        }
        ModelFile m;
        try {
            m = Json.MAPPER.treeToValue(Json.read(file), ModelFile.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new InputFileException(file, "is not a generative retriever description: " + e.getMessage());
        }
        if (m.formatVersion() != FORMAT_VERSION || !"tiger".equals(m.kind())) {
            throw new InputFileException(file, "holds a '" + m.kind() + "' model of format version " + m.formatVersion() + "; this build reads"
                    + " 'tiger' models of version " + FORMAT_VERSION);
        }
        SidTable sids = ModelFiles.table(file, m.items(), m.sids(), m.dedup(), m.codes());
        if (sids.levels() != m.levels()) {
            throw new InputFileException(file, "says levels = " + m.levels() + " but its SIDs have " + sids.levels());
        }
        TigerModel model = untrained(m.config(), sids, device, 0); // weights follow
        try {
            Weights.read(dir.resolve("weights"), model.network.parameters());
            model.network.parameters().values().forEach(p -> p.setRequiresGradient(false));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    @Override
    public void close() {
        network.close();
    }
}
