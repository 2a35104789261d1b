package io.quasid.ranking.tiger;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.LayerNorm;
import io.quasid.core.training.InvertedDropout;
import io.quasid.ranking.RandomWeights;
import io.quasid.spi.Rows;
import io.quasid.spi.Scalars;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A T5-style encoder-decoder (pre-norm blocks, multi-head attention whose heads need not divide
 * {@code d_model}, ReLU feed-forward without biases) over item tokens (METHOD.md §7). One token table
 * holds every position's vocabulary side by side ({@code offset(l) + token}), then BOS and PAD; the
 * output scores a position's tokens with the same table (tied), against that position's vocabulary only.
 * Positions are learned, per token of the encoder input (or per item, {@link EncoderInput#ITEMS}) and of the decoder.
 */
final class TigerNetwork implements AutoCloseable {
    static final float MASKED = -1e9f;

    private final TigerConfig config;
    private final int[] offset;
    private final int vocabulary;
    private final int length;
    private final NDManager manager;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    /** {@code (L+1, V)}: 0 where a token belongs to the position, else {@link #MASKED}. */
    private final NDArray positionVocabulary;
    private final InvertedDropout dropout;

    /** {@code vocabularies[l]}: the vocabulary size of token position {@code l} of an item ({@code l = 0..L}). */
    TigerNetwork(TigerConfig config, int[] vocabularies, Device device, long seed) {
        this.config = config;
        this.length = vocabularies.length;
        this.offset = new int[length + 1];
        for (int l = 0; l < length; l++) {
            offset[l + 1] = offset[l] + vocabularies[l];
        }
        this.vocabulary = offset[length];
        this.manager = NDManager.newBaseManager(device, "PyTorch");
        this.dropout = new InvertedDropout(seed);
        Random random = new Random(seed);
        int d = config.dModel();
        int inner = config.heads() * config.headDim();
        parameter("token", RandomWeights.normal(random, (vocabulary + 2) * d, 0.02), new Shape(vocabulary + 2, d));
        int encoderPositions = config.maxLength() * length / tokensPerPosition();
        parameter("encoder.position", RandomWeights.normal(random, encoderPositions * d, 0.02), new Shape(encoderPositions, d));
        parameter("decoder.position", RandomWeights.normal(random, length * d, 0.02), new Shape(length, d));
        for (int i = 0; i < config.encoderLayers(); i++) {
            String p = "encoder." + i + ".";
            attention(random, p + "self.", d, inner);
            feedForward(random, p + "ffn.", d);
        }
        norm("encoder.final", d);
        for (int i = 0; i < config.decoderLayers(); i++) {
            String p = "decoder." + i + ".";
            attention(random, p + "self.", d, inner);
            attention(random, p + "cross.", d, inner);
            feedForward(random, p + "ffn.", d);
        }
        norm("decoder.final", d);
        float[] mask = new float[length * vocabulary];
        java.util.Arrays.fill(mask, MASKED);
        for (int l = 0; l < length; l++) {
            java.util.Arrays.fill(mask, l * vocabulary + offset[l], l * vocabulary + offset[l + 1], 0f);
        }
        positionVocabulary = manager.create(mask, new Shape(length, vocabulary));
    }

    private void attention(Random random, String p, int d, int inner) {
        norm(p + "norm", d);
        parameter(p + "query", RandomWeights.uniform(random, d * inner, 1 / Math.sqrt(d)), new Shape(d, inner));
        parameter(p + "key", RandomWeights.uniform(random, d * inner, 1 / Math.sqrt(d)), new Shape(d, inner));
        parameter(p + "value", RandomWeights.uniform(random, d * inner, 1 / Math.sqrt(d)), new Shape(d, inner));
        parameter(p + "out", RandomWeights.uniform(random, inner * d, 1 / Math.sqrt(inner)), new Shape(inner, d));
    }

    private void feedForward(Random random, String p, int d) {
        norm(p + "norm", d);
        parameter(p + "in", RandomWeights.uniform(random, d * config.dFf(), 1 / Math.sqrt(d)), new Shape(d, config.dFf()));
        parameter(p + "out", RandomWeights.uniform(random, config.dFf() * d, 1 / Math.sqrt(config.dFf())), new Shape(config.dFf(), d));
    }

    private void norm(String name, int d) {
        float[] ones = new float[d];
        java.util.Arrays.fill(ones, 1f);
        parameter(name + ".gamma", ones, new Shape(d));
        parameter(name + ".beta", new float[d], new Shape(d));
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

    Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** Tokens per encoder position: 1 ({@link EncoderInput#TOKENS}) or {@code L + 1} ({@link EncoderInput#ITEMS}). */
    private int tokensPerPosition() {
        return config.encoderInput() == EncoderInput.ITEMS ? length : 1;
    }

    /** Tokens per item ({@code L + 1}). */
    int length() {
        return length;
    }

    /** The id in the token table of token {@code token} at item position {@code l}. */
    int id(int l, int token) {
        return offset[l] + token;
    }

    int bos() {
        return vocabulary;
    }

    int pad() {
        return vocabulary + 1;
    }

    /**
     * The encoder's output {@code (B, T, d)} and its key mask {@code (B, 1, 1, T)} for token ids {@code (B, n (L + 1))}
     * of {@code n <= max_length} items, left-padded with {@link #pad()} (a whole item at a time): {@code T = n (L + 1)}
     * positions, one per token, or {@code T = n}, one per item ({@link EncoderInput#ITEMS}). The last position always
     * takes the last position embedding, so leaving out all-padding items on the left changes no output.
     */
    NDArray[] encode(NDArray ids, boolean training) {
        long b = ids.getShape().get(0);
        int t = (int) ids.getShape().get(1) / tokensPerPosition(); // the encoder's positions: tokens, or items
        // a position is padding when its (first) token is
        NDArray padding = ids.reshape(b, t, tokensPerPosition()).get(new NDIndex(":, :, 0")).eq(Scalars.of(ids, pad()));
        NDArray keyMask = Scalars.mul(padding.toType(ai.djl.ndarray.types.DataType.FLOAT32, false), MASKED).reshape(b, 1, 1, t);
        NDArray x = config.encoderInput() == EncoderInput.ITEMS
                ? dropout(Rows.of(parameters.get("token"), ids.reshape(-1)).reshape(b, t, length, config.dModel()).sum(new int[] {2})
                        .add(parameters.get("encoder.position").get(new NDIndex("{}:{}", config.maxLength() - t, config.maxLength()))), training)
                : embed(ids, "encoder.position", config.maxLength() * length - t, training);
        for (int i = 0; i < config.encoderLayers(); i++) {
            String p = "encoder." + i + ".";
            x = x.add(attend(x, x, p + "self.", keyMask, training));
            x = x.add(feedForward(x, p + "ffn.", training));
        }
        return new NDArray[] {layerNorm(x, "encoder.final"), keyMask};
    }

    /**
     * The decoder's hidden states {@code (R, S, d)} for decoder input ids {@code (R, S)} (BOS, then the
     * target's first tokens), attending causally to itself and to {@code memory} {@code (U, T, d)}, where
     * rows {@code u * group .. (u + 1) * group - 1} belong to user {@code u} ({@code R = U * group}): the
     * beams of one user share its memory, so cross-attention reads it once, not once per beam.
     */
    NDArray decode(NDArray ids, NDArray memory, NDArray memoryMask, int group, boolean training) {
        long r = ids.getShape().get(0);
        int s = (int) ids.getShape().get(1);
        long users = memory.getShape().get(0);
        if (r != users * group) {
            throw new IllegalArgumentException(r + " decoder rows for " + users + " users of " + group + " rows each");
        }
        float[] later = new float[s * s];
        for (int q = 0; q < s; q++) {
            for (int k = q + 1; k < s; k++) {
                later[q * s + k] = MASKED;
            }
        }
        NDArray causal = ids.getManager().create(later, new Shape(1, 1, s, s));
        int d = config.dModel();
        NDArray x = embed(ids, "decoder.position", 0, training);
        for (int i = 0; i < config.decoderLayers(); i++) {
            String p = "decoder." + i + ".";
            x = x.add(attend(x, x, p + "self.", causal, training));
            x = x.add(attend(x.reshape(users, (long) group * s, d), memory, p + "cross.", memoryMask, training).reshape(r, s, d));
            x = x.add(feedForward(x, p + "ffn.", training));
        }
        return layerNorm(x, "decoder.final");
    }

    /**
     * Decoding one position at a time, as beam search does: each decoder layer's self-attention keys and values of
     * the positions decoded so far, {@code (R, h, s, head_dim)}, and its cross-attention keys and values of the
     * memory, {@code (U, h, T, head_dim)}, computed once. {@link #decodeNext} then gives the hidden states
     * {@link #decode} gives the whole prefix at its last position, without recomputing the earlier ones.
     */
    final class Decoding {
        private final NDArray[] selfKeys = new NDArray[config.decoderLayers()];
        private final NDArray[] selfValues = new NDArray[config.decoderLayers()];
        private final NDArray[] crossKeys = new NDArray[config.decoderLayers()];
        private final NDArray[] crossValues = new NDArray[config.decoderLayers()];
        private final NDArray memoryMask;
        private final long users;
        private int position;
        private int group = 1;

        private Decoding(NDArray memory, NDArray memoryMask) {
            this.memoryMask = memoryMask;
            this.users = memory.getShape().get(0);
            for (int i = 0; i < config.decoderLayers(); i++) {
                crossKeys[i] = heads(memory, "decoder." + i + ".cross.key");
                crossValues[i] = heads(memory, "decoder." + i + ".cross.value");
            }
        }

        /** Rows per user of the last position decoded (1 before the first). */
        int group() {
            return group;
        }
    }

    /** The start of decoding after the encoder's {@code memory} {@code (U, T, d)} and its key mask (from {@link #encode}, not training). */
    Decoding startDecoding(NDArray memory, NDArray memoryMask) {
        return new Decoding(memory, memoryMask);
    }

    /**
     * The decoder's hidden states {@code (R, d)} at the next position of {@code state}, for rows {@code R = U * group}
     * (user {@code u}'s rows {@code u * group ..}), whose input tokens there are {@code ids} {@code (R)} (BOS at
     * position 0) and where row {@code r} extends row {@code parents[r]} of the position before ({@code null} at
     * position 0): the same states as {@link #decode} of each row's whole prefix, not training.
     */
    NDArray decodeNext(Decoding state, NDArray ids, long[] parents, int group) {
        long r = ids.getShape().get(0);
        int s = state.position;
        if (r != state.users * group || s >= length || (s == 0) != (parents == null) || parents != null && parents.length != r) {
            throw new IllegalArgumentException(r + " decoder rows of " + group + " per user at position " + s + " of " + length + " for "
                    + state.users + " users, with " + (parents == null ? "no" : parents.length) + " parents");
        }
        int d = config.dModel();
        NDArray from = parents == null ? null : ids.getManager().create(parents);
        NDArray x = Rows.of(parameters.get("token"), ids).reshape(r, 1, d).add(parameters.get("decoder.position").get(new NDIndex("{}:{}", s, s + 1)));
        for (int i = 0; i < config.decoderLayers(); i++) {
            String p = "decoder." + i + ".";
            NDArray query = layerNorm(x, p + "self.norm");
            NDArray k = heads(query, p + "self.key");
            NDArray v = heads(query, p + "self.value");
            if (from != null) { // the earlier positions' keys and values, in the rows' order
                k = reordered(state.selfKeys[i], from).concat(k, 2);
                v = reordered(state.selfValues[i], from).concat(v, 2);
            }
            state.selfKeys[i] = k;
            state.selfValues[i] = v;
            x = x.add(attention(heads(query, p + "self.query"), k, v, p + "self.", null, false)); // the last position sees every one
            NDArray crossQuery = heads(layerNorm(x, p + "cross.norm").reshape(state.users, group, d), p + "cross.query");
            x = x.add(attention(crossQuery, state.crossKeys[i], state.crossValues[i], p + "cross.", state.memoryMask, false).reshape(r, 1, d));
            x = x.add(feedForward(x, p + "ffn.", false));
        }
        state.position++;
        state.group = group;
        return layerNorm(x, "decoder.final").reshape(r, d);
    }

    /** Rows {@code from} of {@code cache} {@code (R', h, s, head_dim)}. */
    private static NDArray reordered(NDArray cache, NDArray from) {
        Shape shape = cache.getShape();
        return Rows.of(cache.reshape(shape.get(0), -1), from).reshape(from.getShape().get(0), shape.get(1), shape.get(2), shape.get(3));
    }

    /** Log-probabilities {@code (R, S, V)} of each decoder position's tokens (other positions' tokens get none). */
    NDArray logProbabilities(NDArray hidden) {
        int s = (int) hidden.getShape().get(1);
        NDArray table = parameters.get("token").get(new NDIndex(":{}", vocabulary));
        NDArray logits = hidden.matMul(table.transpose()).add(positionVocabulary.get(new NDIndex(":{}", s)));
        return logits.logSoftmax(2);
    }

    /** Log-probabilities {@code (R, V_l)} over position {@code l}'s vocabulary, from hidden states {@code (R, d)} at that position. */
    NDArray logProbabilities(NDArray hidden, int l) {
        NDArray table = parameters.get("token").get(new NDIndex("{}:{}", offset[l], offset[l + 1]));
        return hidden.matMul(table.transpose()).logSoftmax(1);
    }

    /** Token plus position embeddings of ids {@code (B, t)}, the positions {@code first .. first + t - 1} of table {@code positions}. */
    private NDArray embed(NDArray ids, String positions, int first, boolean training) {
        long b = ids.getShape().get(0);
        int t = (int) ids.getShape().get(1);
        int d = config.dModel();
        NDArray x = Rows.of(parameters.get("token"), ids.reshape(-1)).reshape(b, t, d)
                .add(parameters.get(positions).get(new NDIndex("{}:{}", first, first + t)));
        return dropout(x, training);
    }

    /** Pre-norm multi-head attention of {@code x}'s positions to {@code context}'s, with an additive {@code mask}. */
    private NDArray attend(NDArray x, NDArray context, String p, NDArray mask, boolean training) {
        NDArray query = layerNorm(x, p + "norm");
        NDArray keys = context == x ? query : context;
        return attention(heads(query, p + "query"), heads(keys, p + "key"), heads(keys, p + "value"), p, mask, training);
    }

    /** {@code x} {@code (B, t, d)} projected by weight {@code name} and split into heads: {@code (B, h, t, head_dim)}. */
    private NDArray heads(NDArray x, String name) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        return x.matMul(parameters.get(name)).reshape(b, t, config.heads(), config.headDim()).transpose(0, 2, 1, 3);
    }

    /**
     * Scaled dot-product attention of queries {@code q} {@code (B, h, tq, head_dim)} to keys {@code k} and values
     * {@code v} {@code (B, h, tk, head_dim)}, with an additive {@code mask} ({@code null}: none), heads joined and
     * projected by {@code p}'s output weight: {@code (B, tq, d)}.
     */
    private NDArray attention(NDArray q, NDArray k, NDArray v, String p, NDArray mask, boolean training) {
        long b = q.getShape().get(0);
        long tq = q.getShape().get(2);
        NDArray scores = Scalars.div(q.matMul(k.transpose(0, 1, 3, 2)), Math.sqrt(config.headDim()));
        NDArray weights = (mask == null ? scores : scores.add(mask)).softmax(3);
        NDArray out = dropout(weights, training).matMul(v).transpose(0, 2, 1, 3).reshape(b, tq, (long) config.heads() * config.headDim());
        return dropout(out.matMul(parameters.get(p + "out")), training);
    }

    private NDArray feedForward(NDArray x, String p, boolean training) {
        NDArray hidden = Activation.relu(layerNorm(x, p + "norm").matMul(parameters.get(p + "in")));
        return dropout(dropout(hidden, training).matMul(parameters.get(p + "out")), training);
    }

    private NDArray layerNorm(NDArray x, String name) {
        return LayerNorm.layerNorm(x, new Shape(config.dModel()), parameters.get(name + ".gamma"), parameters.get(name + ".beta"), 1e-6f)
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
