package io.quasid.ranking.sasrec;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.LayerNorm;
import io.quasid.core.sid.SidTable;
import io.quasid.core.training.InvertedDropout;
import io.quasid.ranking.RandomWeights;
import io.quasid.spi.Rows;
import io.quasid.spi.Scalars;
import io.quasid.spi.SidCodes;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.IntPredicate;

/**
 * A SASRec-style causal transformer (Kang and McAuley, 2018; pre-norm blocks, one attention head) whose
 * item vectors are composed from SID codes ({@code sum_l E_l[c_l]}, plus {@code sum_{l>=2} P_l[c_1..c_l]}
 * with prefix tables), an item-id table, or both summed.
 * The same item vectors embed the input sequence and score every catalogue item (tied output).
 *
 * <p>A table row that no item seen in training uses starts at zero and, since such items are left out of
 * the training softmax, stays there: an item new to the model is the sum of the rows it shares with
 * trained items (an item new by id alone scores zero), not random noise.
 */
final class SasRecNetwork implements AutoCloseable {
    static final float MASKED = -1e9f;
    private static final String CODE = "sid.";
    private static final String PREFIX = "prefix.";

    private final SasRecConfig config;
    private final int items;
    private final NDManager manager;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final Map<String, NDArray> rowOf = new LinkedHashMap<>(); // per item table: each item's row
    private final InvertedDropout dropout;

    /**
     * Row {@code i} of {@code sids} is item {@code i} (unused with id features); {@code unseen[i]} says
     * that item {@code i} has no training interaction.
     */
    SasRecNetwork(SasRecConfig config, SidTable sids, boolean[] unseen, Device device, long seed) {
        this.config = config;
        this.items = sids.size();
        this.manager = NDManager.newBaseManager(device, "PyTorch");
        this.dropout = new InvertedDropout(seed);
        Random random = new Random(seed);
        int d = config.dim();
        if (config.features().usesId()) {
            parameter("item", rows(random, items, d, i -> unseen[i]), new Shape(items, d));
        }
        if (config.features().usesSid()) {
            SidCodes codes = sids.codes();
            int levels = codes.levels();
            for (int l = 1; l <= levels; l++) {
                table(CODE + l, column(CODE + l, codes), sids.shape().codes(), unseen, random);
            }
            for (int l = 2; config.sidPrefixes() && l <= levels; l++) {
                long[] prefix = column(PREFIX + l, codes);
                table(PREFIX + l, prefix, (int) Arrays.stream(prefix).max().orElse(0) + 1, unseen, random);
            }
        }
        parameter("position", RandomWeights.normal(random, config.maxLength() * d, 0.02), new Shape(config.maxLength(), d));
        for (int b = 0; b < config.blocks(); b++) {
            String p = "block." + b + ".";
            norm(p + "norm1", d);
            for (String w : new String[] {"query", "key", "value", "out"}) {
                parameter(p + w, RandomWeights.uniform(random, d * d, 1 / Math.sqrt(d)), new Shape(d, d));
            }
            norm(p + "norm2", d);
            parameter(p + "ffn1.weight", RandomWeights.uniform(random, d * d, 1 / Math.sqrt(d)), new Shape(d, d));
            parameter(p + "ffn1.bias", new float[d], new Shape(d));
            parameter(p + "ffn2.weight", RandomWeights.uniform(random, d * d, 1 / Math.sqrt(d)), new Shape(d, d));
            parameter(p + "ffn2.bias", new float[d], new Shape(d));
        }
        norm("final", d);
    }

    /**
     * Each item's row in the SID table {@code name} ({@code sid.l}: its code at level {@code l}; {@code prefix.l}:
     * its prefix {@code c1..cl}, numbered in the order of the prefixes' first items, so a table that starts
     * with the trained rows numbers the trained prefixes as training did and new prefixes after them).
     */
    private static long[] column(String name, SidCodes codes) {
        long[] column = new long[codes.rows()];
        if (name.startsWith(CODE)) {
            int l = Integer.parseInt(name.substring(CODE.length())) - 1;
            for (int i = 0; i < column.length; i++) {
                column[i] = codes.code(i, l);
            }
            return column;
        }
        int[] prefix = codes.bucketIds(codes.afterPrefix(Integer.parseInt(name.substring(PREFIX.length()))));
        for (int i = 0; i < column.length; i++) {
            column[i] = prefix[i];
        }
        return column;
    }

    /** An embedding table of {@code rows} rows, row {@code column[i]} for item {@code i}; rows only unseen items use start at zero. */
    private void table(String name, long[] column, int rows, boolean[] unseen, Random random) {
        boolean[] used = new boolean[rows];
        for (int i = 0; i < items; i++) {
            used[(int) column[i]] |= !unseen[i];
        }
        parameter(name, rows(random, rows, config.dim(), r -> !used[r]), new Shape(rows, config.dim()));
        rowOf.put(name, manager.create(column));
    }

    private void norm(String name, int d) {
        float[] ones = new float[d];
        java.util.Arrays.fill(ones, 1f);
        parameter(name + ".gamma", ones, new Shape(d));
        parameter(name + ".beta", new float[d], new Shape(d));
    }

    /** A {@code (rows, d)} table drawn from N(0, 0.02^2), with the rows that {@code zero} names at zero. */
    private static float[] rows(Random random, int rows, int d, IntPredicate zero) {
        float[] v = RandomWeights.normal(random, rows * d, 0.02);
        for (int r = 0; r < rows; r++) {
            if (zero.test(r)) {
                Arrays.fill(v, r * d, (r + 1) * d, 0f);
            }
        }
        return v;
    }

    private void parameter(String name, float[] values, Shape shape) {
        NDArray p = manager.create(values, shape);
        p.setName(name);
        p.setRequiresGradient(true);
        parameters.put(name, p);
    }

    NDManager manager() {
        return manager;
    }

    int items() {
        return items;
    }

    Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** Every catalogue item's vector, {@code (n, d)}: the sum of its SID code (and prefix) vectors and/or its id vector. */
    NDArray itemVectors() {
        NDArray v = config.features().usesId() ? parameters.get("item") : null;
        for (Map.Entry<String, NDArray> table : rowOf.entrySet()) {
            NDArray rows = Rows.of(parameters.get(table.getKey()), table.getValue());
            v = v == null ? rows : v.add(rows);
        }
        return v;
    }

    /**
     * The vector of every item of {@code catalogue}, {@code (n, d)}, a table whose first {@link #items()} rows are
     * the network's own items and whose other rows are new to it: a new item is the sum of the SID rows it
     * shares with the trained items (its codes, and the prefixes the trained catalogue has); a prefix no
     * trained item has, and an id row it cannot have, add nothing, as rows no training item used.
     */
    NDArray itemVectors(SidTable catalogue) {
        int n = catalogue.size();
        int d = config.dim();
        NDArray v = null;
        if (config.features().usesId()) {
            long[] own = new long[n];
            for (int i = 0; i < n; i++) {
                own[i] = Math.min(i, items);
            }
            v = withZeroRow(parameters.get("item")).get(new NDIndex("{}", manager.create(own)));
        }
        SidCodes codes = catalogue.codes();
        for (String name : rowOf.keySet()) {
            NDArray table = parameters.get(name);
            long known = table.getShape().get(0);
            long[] column = column(name, codes);
            for (int i = 0; i < n; i++) {
                column[i] = Math.min(column[i], known);
            }
            NDArray rows = withZeroRow(table).get(new NDIndex("{}", manager.create(column)));
            v = v == null ? rows : v.add(rows);
        }
        return v.reshape(n, d);
    }

    private NDArray withZeroRow(NDArray table) {
        return table.concat(manager.zeros(new Shape(1, config.dim())), 0);
    }

    /**
     * The hidden state at every position, {@code (B, T, d)}, of sequences {@code (B, T)} (int64 item
     * indices, left-padded with {@code -1}); position {@code t} sees items {@code 0..t} only.
     */
    NDArray forward(NDArray sequences, NDArray itemVectors, boolean training) {
        long b = sequences.getShape().get(0);
        int t = (int) sequences.getShape().get(1);
        int d = config.dim();
        NDArray padding = sequences.lt(Scalars.of(sequences, 0));
        NDArray padded = itemVectors.concat(itemVectors.getManager().zeros(new Shape(1, d)), 0); // row n: padding
        NDArray index = Scalars.mul(padding.toType(DataType.INT64, false), items).add(Scalars.maximum(sequences, 0)).reshape(-1);
        NDArray x = Scalars.mul(Rows.of(padded, index).reshape(b, t, d), Math.sqrt(d))
                .add(parameters.get("position").get(new NDIndex("{}:", config.maxLength() - t)));
        x = dropout(x, training).mul(padding.logicalNot().toType(DataType.FLOAT32, false).expandDims(2));
        float[] later = new float[t * t];
        for (int query = 0; query < t; query++) {
            for (int key = query + 1; key < t; key++) {
                later[query * t + key] = MASKED;
            }
        }
        NDArray future = sequences.getManager().create(later, new Shape(t, t)); // a key after its query is masked
        NDArray keyPadding = Scalars.mul(padding.toType(DataType.FLOAT32, false), MASKED).expandDims(1); // (B, 1, T)
        NDArray mask = future.expandDims(0).add(keyPadding);
        for (int block = 0; block < config.blocks(); block++) {
            String p = "block." + block + ".";
            NDArray h = layerNorm(x, p + "norm1");
            NDArray q = h.matMul(parameters.get(p + "query"));
            NDArray k = h.matMul(parameters.get(p + "key"));
            NDArray v = h.matMul(parameters.get(p + "value"));
            NDArray attention = Scalars.div(q.matMul(k.transpose(0, 2, 1)), Math.sqrt(d)).add(mask).softmax(2);
            x = x.add(dropout(dropout(attention, training).matMul(v).matMul(parameters.get(p + "out")), training));
            h = layerNorm(x, p + "norm2");
            NDArray f = Activation.relu(h.matMul(parameters.get(p + "ffn1.weight")).add(parameters.get(p + "ffn1.bias")))
                    .matMul(parameters.get(p + "ffn2.weight")).add(parameters.get(p + "ffn2.bias"));
            x = x.add(dropout(f, training));
        }
        return layerNorm(x, "final");
    }

    private NDArray layerNorm(NDArray x, String name) {
        return LayerNorm.layerNorm(x, new Shape(config.dim()), parameters.get(name + ".gamma"), parameters.get(name + ".beta"), 1e-8f)
                .singletonOrThrow();
    }

    private NDArray dropout(NDArray x, boolean training) {
        return training && config.dropout() > 0 ? dropout.apply(x, config.dropout()) : x;
    }

    @Override
    public void close() {
        manager.close();
    }
}
