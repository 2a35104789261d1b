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
 * Positions are learned, per token of the encoder input and of the decoder.
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
        parameter("encoder.position", RandomWeights.normal(random, config.maxLength() * length * d, 0.02), new Shape(config.maxLength() * length, d));
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
     * The encoder's output {@code (B, T, d)} and its key mask {@code (B, 1, 1, T)} for token ids {@code (B, T)},
     * left-padded with {@link #pad()}, {@code T <= max_length (L + 1)}: the last token always takes the last
     * position, so leaving out all-padding columns on the left changes no output.
     */
    NDArray[] encode(NDArray ids, boolean training) {
        long b = ids.getShape().get(0);
        int t = (int) ids.getShape().get(1);
        NDArray padding = ids.eq(Scalars.of(ids, pad()));
        NDArray keyMask = Scalars.mul(padding.toType(ai.djl.ndarray.types.DataType.FLOAT32, false), MASKED).reshape(b, 1, 1, t);
        NDArray x = embed(ids, "encoder.position", config.maxLength() * length - t, training);
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
        long b = x.getShape().get(0);
        long tq = x.getShape().get(1);
        long tk = context.getShape().get(1);
        int h = config.heads();
        int dk = config.headDim();
        NDArray query = layerNorm(x, p + "norm");
        NDArray keys = context == x ? query : context;
        NDArray q = query.matMul(parameters.get(p + "query")).reshape(b, tq, h, dk).transpose(0, 2, 1, 3);
        NDArray k = keys.matMul(parameters.get(p + "key")).reshape(b, tk, h, dk).transpose(0, 2, 1, 3);
        NDArray v = keys.matMul(parameters.get(p + "value")).reshape(b, tk, h, dk).transpose(0, 2, 1, 3);
        NDArray weights = Scalars.div(q.matMul(k.transpose(0, 1, 3, 2)), Math.sqrt(dk)).add(mask).softmax(3);
        NDArray out = dropout(weights, training).matMul(v).transpose(0, 2, 1, 3).reshape(b, tq, (long) h * dk);
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
