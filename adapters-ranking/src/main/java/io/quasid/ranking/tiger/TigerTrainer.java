package io.quasid.ranking.tiger;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.quasid.core.Progress;
import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.core.ranking.RankingMetrics;
import io.quasid.core.sid.SidTable;
import io.quasid.core.training.AdamW;
import io.quasid.core.training.Overwrite;
import io.quasid.ranking.HistoryRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the generative retriever (METHOD.md §7): every training position of every user's training
 * items is an example (sliding window: the at most {@code max_length} items before it, then its tokens as
 * the decoder's targets, cross-entropy per token), in batches of examples with histories of one length,
 * AdamW at the configured schedule's rate; keeps the weights of the epoch with the best validation Recall@10 (NDCG@10 breaks ties; of
 * every evaluated user, or of {@code validation_users} of them) and stops after
 * {@code patience} epochs without improvement.
 */
public final class TigerTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(TigerTrainer.class);

    private final TigerConfig config;
    private final LeaveOneOutSplit split;
    private final SidTable sids;

    /** {@code sids}: an SID for every catalogue item (others are ignored). */
    public TigerTrainer(TigerConfig config, LeaveOneOutSplit split, SidTable sids) {
        this.config = config;
        this.split = split;
        this.sids = sids.alignedTo(split.dataset().catalogue().ids());
    }

    /** A trained model and how training went (per epoch: loss, validation metrics, seconds). */
    public record Trained(TigerModel model, List<Map<String, Double>> history, int bestEpoch) {}

    /** One example: the history before a training position and the item at it. */
    record Example(int[] history, int target) {}

    /** The sliding-window examples of the training split. */
    List<Example> examples() {
        List<Example> out = new ArrayList<>();
        for (int u = 0; u < split.dataset().userCount(); u++) {
            int[] train = split.train(u);
            for (int t = 1; t < train.length; t++) {
                out.add(new Example(java.util.Arrays.copyOfRange(train, Math.max(0, t - config.maxLength()), t), train[t]));
            }
        }
        return out;
    }

    /**
     * One epoch's batches: the examples grouped by history length, shuffled within each length and cut into
     * batches of {@code batchSize}, the batches in random order. A batch is padded to its longest history
     * only (Beauty's histories are mostly short), so grouping by length saves most of the encoder's work on
     * padding; every example still comes once per epoch.
     */
    static List<List<Example>> batches(List<Example> examples, int batchSize, Random random) {
        Map<Integer, List<Example>> byLength = new java.util.TreeMap<>();
        for (Example e : examples) {
            byLength.computeIfAbsent(e.history().length, n -> new ArrayList<>()).add(e);
        }
        List<List<Example>> batches = new ArrayList<>();
        for (List<Example> group : byLength.values()) {
            Collections.shuffle(group, random);
            for (int from = 0; from < group.size(); from += batchSize) {
                batches.add(group.subList(from, Math.min(group.size(), from + batchSize)));
            }
        }
        Collections.shuffle(batches, random);
        return batches;
    }

    /**
     * The users whose validation targets select the epoch: every evaluated user (null) when {@code n} is 0 or at
     * least their number, else {@code n} of them drawn with {@code seed}, the same every epoch.
     */
    static IntPredicate validationUsers(LeaveOneOutSplit split, int n, long seed) {
        List<Integer> evaluated = new ArrayList<>();
        for (int u = 0; u < split.dataset().userCount(); u++) {
            if (split.evaluated(u)) {
                evaluated.add(u);
            }
        }
        if (n == 0 || n >= evaluated.size()) {
            return null;
        }
        Collections.shuffle(evaluated, new Random(seed));
        java.util.BitSet chosen = new java.util.BitSet();
        evaluated.subList(0, n).forEach(chosen::set);
        return chosen::get;
    }

    public Trained fit(Device device, long seed) {
        Engine.getInstance().setRandomSeed((int) seed); // dropout masks on a GPU come from the engine's generator
        TigerModel model = TigerModel.untrained(config, sids, device, seed);
        TigerNetwork network = model.network();
        try {
            AdamW optimizer = new AdamW(network.parameters(), config.learningRate(), config.weightDecay(), 10);
            List<Example> examples = examples();
            if (examples.isEmpty()) {
                throw new IllegalArgumentException("no training examples: every user has fewer than two training items");
            }
            Random random = new Random(seed);
            IntPredicate validated = validationUsers(split, config.validationUsers(), seed);
            long stepsPerEpoch = batches(examples, config.batchSize(), new Random(seed)).size();
            long steps = stepsPerEpoch * config.maxEpochs();
            long step = 0;
            List<Map<String, Double>> history = new ArrayList<>();
            Map<String, float[]> best = null;
            double bestRecall = -1;
            double bestNdcg = -1;
            int bestEpoch = 0;
            for (int epoch = 1; epoch <= config.maxEpochs(); epoch++) {
                long start = System.nanoTime();
                double loss = 0;
                int batches = 0;
                try (Progress progress = Progress.start("train tiger, epoch " + epoch, examples.size(), "examples")) {
                    for (List<Example> batch : batches(examples, config.batchSize(), random)) {
                        loss += step(model, optimizer, batch, config.schedule().rate(config.learningRate(), step++, steps));
                        batches++;
                        progress.stepBy(batch.size());
                        progress.extra(String.format(java.util.Locale.ROOT, "loss %.4f", loss / batches));
                    }
                }
                double trainSeconds = (System.nanoTime() - start) / 1e9;
                // model selection on the papers' protocol
                RankingMetrics validation = RankingMetrics.of(model.targetRanks(split, false, null, HistoryRule.KEEP, validated));
                double recall = validation.values().get("recall@10");
                double ndcg = validation.values().get("ndcg@10");
                Map<String, Double> summary = new LinkedHashMap<>();
                summary.put("epoch", (double) epoch);
                summary.put("loss", loss / batches);
                validation.values().forEach((k, v) -> summary.put("validation/" + k, v));
                summary.put("train_seconds", trainSeconds);
                summary.put("seconds", (System.nanoTime() - start) / 1e9);
                history.add(summary);
                LOG.info("epoch {}: loss {} validation recall@10 {} ndcg@10 {} ({} s training, {} s in all)", epoch, String.format("%.4f", loss / batches),
                        String.format("%.4f", recall), String.format("%.4f", ndcg), String.format("%.0f", trainSeconds),
                        String.format("%.0f", summary.get("seconds")));
                // Recall@10 decides; of epochs with equal recall (common once it saturates) the higher NDCG@10, then the latest
                if (recall > bestRecall || recall == bestRecall && ndcg >= bestNdcg) {
                    bestRecall = recall;
                    bestNdcg = ndcg;
                    bestEpoch = epoch;
                    best = snapshot(network);
                } else if (epoch - bestEpoch >= config.patience()) {
                    break;
                }
            }
            if (best != null) {
                Map<String, float[]> values = best;
                network.parameters().forEach((k, v) -> Overwrite.with(v, values.get(k)));
            }
            return new Trained(model, history, bestEpoch);
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    /** One AdamW step on {@code batch} at learning rate {@code rate}; returns its mean token cross-entropy. */
    static double step(TigerModel model, AdamW optimizer, List<Example> batch, double rate) {
        TigerNetwork network = model.network();
        ItemTokens tokens = model.tokens();
        int length = tokens.length();
        List<int[]> histories = batch.stream().map(Example::history).toList();
        long[] decoderInput = new long[batch.size() * length];
        long[] targets = new long[batch.size() * length];
        for (int b = 0; b < batch.size(); b++) {
            int item = batch.get(b).target();
            decoderInput[b * length] = network.bos();
            for (int l = 0; l < length; l++) {
                targets[b * length + l] = network.id(l, tokens.token(item, l));
                if (l + 1 < length) {
                    decoderInput[b * length + l + 1] = targets[b * length + l];
                }
            }
        }
        double value;
        try (NDManager m = network.manager().newSubManager()) {
            try (NDScope scope = new NDScope(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray[] encoded = network.encode(model.encoderInput(m, histories), true);
                NDArray hidden = network.decode(m.create(decoderInput, new Shape(batch.size(), length)), encoded[0], encoded[1], 1, true);
                NDArray loss = network.logProbabilities(hidden).gather(m.create(targets, new Shape(batch.size(), length, 1)), 2).mean().neg();
                value = loss.getFloat();
                collector.backward(loss);
            }
            optimizer.step(rate);
        }
        return value;
    }

    private static Map<String, float[]> snapshot(TigerNetwork network) {
        Map<String, float[]> copy = new LinkedHashMap<>();
        network.parameters().forEach((k, v) -> copy.put(k, v.toFloatArray()));
        return copy;
    }
}
