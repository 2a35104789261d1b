package io.quasid.ranking.sasrec;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.core.sid.SidTable;
import io.quasid.core.ranking.RankingMetrics;
import io.quasid.core.training.AdamW;
import io.quasid.core.training.Overwrite;
import io.quasid.core.training.SoftmaxCrossEntropy;
import io.quasid.ranking.HistoryRule;
import io.quasid.spi.Rows;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the SID-feature ranking model on the training split (next item at every position, full
 * softmax on the real positions only, over the catalogue items that training shows: an item with no
 * training interaction, e.g. one removed from training, is new to the model, not a negative), keeps
 * the weights of the epoch with the best validation NDCG@10 and stops after {@code patience} epochs
 * without improvement.
 */
public final class SasRecTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(SasRecTrainer.class);

    private final SasRecConfig config;
    private final LeaveOneOutSplit split;
    private final SidTable sids;

    /** {@code sids}: an SID for every catalogue item (others are ignored). */
    public SasRecTrainer(SasRecConfig config, LeaveOneOutSplit split, SidTable sids) {
        this.config = config;
        this.split = split;
        this.sids = sids.alignedTo(split.dataset().catalogue().ids());
    }

    /** A trained model and how training went. */
    public record Trained(SasRecModel model, List<Map<String, Double>> history, int bestEpoch) {}

    public Trained fit(Device device, long seed) {
        Engine.getInstance().setRandomSeed((int) seed); // dropout masks on a GPU come from the engine's generator
        int[] popularity = split.popularity();
        // the softmax runs over the items training shows: column c of the logits is item seen[c], item i is column column[i]
        int[] seen = java.util.stream.IntStream.range(0, popularity.length).filter(i -> popularity[i] > 0).toArray();
        int[] column = new int[popularity.length];
        java.util.Arrays.fill(column, -1);
        for (int c = 0; c < seen.length; c++) {
            column[seen[c]] = c;
        }
        boolean[] unseen = new boolean[popularity.length];
        for (int i = 0; i < unseen.length; i++) {
            unseen[i] = column[i] < 0;
        }
        SasRecNetwork network = new SasRecNetwork(config, sids, unseen, device, seed);
        try (NDArray seenItems = seen.length == popularity.length ? null : network.manager().create(seen)) {
            AdamW optimizer = new AdamW(network.parameters(), config.learningRate(), config.weightDecay(), 10);
            List<int[]> sequences = trainingSequences();
            Random random = new Random(seed);
            List<Map<String, Double>> history = new ArrayList<>();
            Map<String, float[]> best = null;
            double bestNdcg = -1;
            int bestEpoch = 0;
            for (int epoch = 1; epoch <= config.maxEpochs(); epoch++) {
                long began = System.nanoTime();
                java.util.Collections.shuffle(sequences, random);
                double loss = 0;
                int batches = 0;
                for (int from = 0; from < sequences.size(); from += config.batchSize()) {
                    loss += step(network, optimizer, seenItems, column, sequences.subList(from, Math.min(sequences.size(), from + config.batchSize())));
                    batches++;
                }
                double training = (System.nanoTime() - began) / 1e9;
                RankingMetrics validation = model(network).evaluate(split, false, null, HistoryRule.KEEP); // model selection on the papers' protocol
                double ndcg = validation.values().get("ndcg@10");
                Map<String, Double> summary = new LinkedHashMap<>();
                summary.put("epoch", (double) epoch);
                summary.put("loss", loss / batches);
                validation.values().forEach((k, v) -> summary.put("validation/" + k, v));
                summary.put("train_seconds", training);
                summary.put("seconds", (System.nanoTime() - began) / 1e9);
                history.add(summary);
                LOG.info("epoch {}: loss {} validation ndcg@10 {} recall@10 {} ({} s training, {} s in all)", epoch, String.format("%.4f", loss / batches),
                        String.format("%.4f", ndcg), String.format("%.4f", validation.values().get("recall@10")), String.format("%.1f", training),
                        String.format("%.1f", summary.get("seconds")));
                if (ndcg > bestNdcg) {
                    bestNdcg = ndcg;
                    bestEpoch = epoch;
                    best = snapshot(network);
                } else if (epoch - bestEpoch >= config.patience()) {
                    break;
                }
            }
            restore(network, best);
            return new Trained(model(network), history, bestEpoch);
        } catch (RuntimeException | Error e) {
            network.close();
            throw e;
        }
    }

    private SasRecModel model(SasRecNetwork network) {
        return SasRecModel.of(network, config, sids);
    }

    /** Each user's training items (at most {@code max_length + 1} most recent): inputs are all but the last, targets all but the first. */
    private List<int[]> trainingSequences() {
        List<int[]> out = new ArrayList<>();
        for (int u = 0; u < split.dataset().userCount(); u++) {
            int[] train = split.train(u);
            if (train.length >= 2) {
                out.add(java.util.Arrays.copyOfRange(train, Math.max(0, train.length - config.maxLength() - 1), train.length));
            }
        }
        return out;
    }

    /**
     * One step on {@code batch}: the softmax over the columns of the items training shows ({@code seenItems},
     * null when it shows them all), the targets in column numbers ({@code column}).
     */
    private double step(SasRecNetwork network, AdamW optimizer, NDArray seenItems, int[] column, List<int[]> batch) {
        int t = config.maxLength();
        long[] inputs = new long[batch.size() * t];
        java.util.Arrays.fill(inputs, -1);
        List<Long> positions = new ArrayList<>();
        List<Long> targets = new ArrayList<>();
        for (int b = 0; b < batch.size(); b++) {
            int[] s = batch.get(b);
            int n = s.length - 1;
            for (int k = 0; k < n; k++) {
                int position = t - n + k;
                inputs[b * t + position] = s[k];
                positions.add((long) b * t + position);
                targets.add((long) column[s[k + 1]]);
            }
        }
        double value;
        try (NDManager m = network.manager().newSubManager()) {
            try (NDScope scope = new NDScope(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray vectors = network.itemVectors();
                NDArray hidden = network.forward(m.create(inputs, new Shape(batch.size(), t)), vectors, true);
                NDArray real = Rows.of(hidden.reshape(-1, config.dim()), m.create(positions.stream().mapToLong(Long::longValue).toArray()));
                NDArray candidates = seenItems == null ? vectors : Rows.of(vectors, seenItems);
                SoftmaxCrossEntropy.Loss loss = SoftmaxCrossEntropy.loss(real, candidates, m.create(targets.stream().mapToLong(Long::longValue).toArray()));
                value = loss.value();
                collector.backward(loss.surrogate());
            }
            optimizer.step();
        }
        return value;
    }

    private static Map<String, float[]> snapshot(SasRecNetwork network) {
        Map<String, float[]> copy = new LinkedHashMap<>();
        network.parameters().forEach((k, v) -> copy.put(k, v.toFloatArray()));
        return copy;
    }

    private static void restore(SasRecNetwork network, Map<String, float[]> values) {
        if (values != null) {
            network.parameters().forEach((k, v) -> Overwrite.with(v, values.get(k)));
        }
    }
}
