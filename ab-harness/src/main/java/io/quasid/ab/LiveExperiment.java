package io.quasid.ab;

import ai.djl.Device;
import io.quasid.core.data.Dataset;
import io.quasid.core.data.DatasetReader;
import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.core.data.UnknownItems;
import io.quasid.core.io.InputFileException;
import io.quasid.ranking.RankingModel;
import io.quasid.ranking.RankingModels;
import io.quasid.ranking.Scored;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An experiment ready to serve: its data set (catalogue, prices, the cold-start items of its training
 * split, each user's history before the held-out test item) and the loaded model of each arm.
 * Closing it (the service stopping, or the experiment replaced) waits for the recommendations being
 * computed, so no request already taken fails for it.
 */
final class LiveExperiment implements AutoCloseable {
    /** One recommended item. */
    record Recommended(String itemId, float score, int[] sid) {}

    private final Experiment experiment;
    private final Dataset dataset;
    private final LeaveOneOutSplit split;
    private final boolean[] cold;
    private final Map<String, Integer> users = new HashMap<>();
    private final Map<String, RankingModel> arms = new HashMap<>();
    private final Map<String, BatchScorer> scorers = new HashMap<>();
    private final ReentrantReadWriteLock serving = new ReentrantReadWriteLock(); // read: a recommendation; write: close
    private boolean closed; // guarded by the write lock

    LiveExperiment(Experiment experiment, Device device) {
        this.experiment = experiment;
        this.dataset = new DatasetReader(UnknownItems.FAIL).read(experiment.data());
        this.split = new LeaveOneOutSplit(dataset);
        this.cold = new boolean[dataset.catalogue().size()];
        for (int i : split.coldItems(LeaveOneOutSplit.DEFAULT_COLD_SHARE)) {
            cold[i] = true;
        }
        for (int u = 0; u < dataset.userCount(); u++) {
            users.put(dataset.user(u), u);
        }
        try {
            load(Experiment.CONTROL, experiment.control(), device);
            load(Experiment.TREATMENT, experiment.treatment(), device);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void load(String arm, Experiment.Arm definition, Device device) {
        RankingModel model = RankingModels.load(definition.kind(), definition.model(), device);
        arms.put(arm, model);
        scorers.put(arm, new BatchScorer(model, definition.history(), experiment.id() + "-" + arm));
        if (!model.sids().items().equals(dataset.catalogue().ids())) {
            throw new InputFileException(definition.model(), "was trained on another catalogue than " + experiment.data()
                    + " (" + model.sids().size() + " items against " + dataset.catalogue().size() + "): arm " + arm + " of experiment " + experiment.id());
        }
    }

    Experiment experiment() {
        return experiment;
    }

    /** The catalogue index of {@code itemId}, if the catalogue has it. */
    OptionalInt item(String itemId) {
        return dataset.catalogue().indexOf(itemId);
    }

    boolean cold(int item) {
        return cold[item];
    }

    /** The catalogue price of an item; {@code NaN} if unknown. */
    double price(int item) {
        return dataset.catalogue().item(item).price();
    }

    /** A known user's history before their held-out test item (all of it for users too short to hold one out); null for unknown users. */
    int[] history(String userId) {
        Integer u = users.get(userId);
        if (u == null) {
            return null;
        }
        return split.beforeTest(u);
    }

    /** The {@code k} best items for {@code history} from {@code arm}'s model, under the arm's history rule. */
    List<Recommended> recommend(String arm, int[] history, int k) {
        serving.readLock().lock();
        try {
            if (closed) {
                throw new ApiException(503, "experiment " + experiment.id() + " has just been closed: the service is stopping or the experiment was replaced; retry");
            }
            return best(arm, history, k);
        } finally {
            serving.readLock().unlock();
        }
    }

    private List<Recommended> best(String arm, int[] history, int k) {
        RankingModel model = arms.get(arm);
        List<Recommended> out = new ArrayList<>(k);
        for (Scored s : scorers.get(arm).recommend(history, k)) {
            out.add(new Recommended(dataset.catalogue().item(s.item()).id(), (float) s.score(), model.sids().sid(s.item()).codes()));
        }
        return out;
    }

    /** Waits for the recommendations being computed, then releases the models. */
    @Override
    public void close() {
        serving.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                scorers.values().forEach(BatchScorer::close);
                arms.values().forEach(RankingModel::close);
            }
        } finally {
            serving.writeLock().unlock();
        }
    }
}
