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
import io.quasid.core.sid.SidTable;
import io.quasid.core.sid.StableAssignment;
import io.quasid.spi.CodebookShape;
import io.quasid.spi.Sid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * An experiment ready to serve: its data set (catalogue, prices, the cold-start items of its training
 * split, each user's history before the held-out test item), the loaded model of each arm, and the items
 * added to its catalogue since (new items, cold by definition, each with a SID in each arm).
 * Closing it (the service stopping, or the experiment replaced) waits for the recommendations being
 * computed, so no request already taken fails for it.
 */
final class LiveExperiment implements AutoCloseable {
    /** One recommended item. */
    record Recommended(String itemId, float score, int[] sid) {}

    /** An item to add: its id, price ({@code null}: none) and its SID in each arm. */
    record NewItem(String itemId, Double price, int[] controlSid, int[] treatmentSid) {}

    private final Experiment experiment;
    private final Dataset dataset;
    private final LeaveOneOutSplit split;
    private final boolean[] cold;
    private final Map<String, Integer> users = new HashMap<>();
    private final Map<String, RankingModel> arms = new HashMap<>();
    private final Map<String, BatchScorer> scorers = new HashMap<>();
    // items added after the data set's: item index dataset size + j is added.get(j)
    private final List<EventStore.AddedItem> added = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, Integer> addedIndex = new java.util.concurrent.ConcurrentHashMap<>();
    // read: a recommendation; write: adding items, closing
    private final ReentrantReadWriteLock serving = new ReentrantReadWriteLock();
    private boolean closed; // guarded by the write lock

    /** The experiment with the items {@code stored} for it (in the order they joined its catalogue) added back. */
    LiveExperiment(Experiment experiment, Device device, List<EventStore.AddedItem> stored) {
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
            if (!stored.isEmpty()) {
                grow(grown(Experiment.CONTROL, stored, EventStore.AddedItem::controlSid, EventStore.AddedItem::controlDedup),
                        grown(Experiment.TREATMENT, stored, EventStore.AddedItem::treatmentSid, EventStore.AddedItem::treatmentDedup), stored);
            }
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

    /** Arm {@code arm}'s table grown by the stored items, with their stored SIDs and de-duplication codes. */
    private SidTable grown(String arm, List<EventStore.AddedItem> stored, Function<EventStore.AddedItem, int[]> sid,
                           ToIntFunction<EventStore.AddedItem> dedup) {
        SidTable own = arms.get(arm).sids();
        int n = own.size();
        List<String> items = new ArrayList<>(own.items());
        Sid[] sids = Arrays.copyOf(own.sids(), n + stored.size());
        int[] d = Arrays.copyOf(own.dedups(), n + stored.size());
        for (int j = 0; j < stored.size(); j++) {
            items.add(stored.get(j).itemId());
            sids[n + j] = Sid.of(sid.apply(stored.get(j)));
            d[n + j] = dedup.applyAsInt(stored.get(j));
        }
        try {
            return new SidTable(items, sids, d, own.shape());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the items added to arm " + arm + ": " + e.getMessage(), e);
        }
    }

    /** The codebook shape of {@code arm}'s SIDs. */
    CodebookShape shape(String arm) {
        return arms.get(arm).sids().shape();
    }

    /**
     * Adds {@code items} to the catalogue of both arms: each arm gives a new item its SID and the next free
     * de-duplication code of that SID ({@link StableAssignment}, new items in item-id order), {@code persist}
     * stores them, then both models list them from the next request on. An item the catalogue already has with
     * the same price and SIDs is left as it is (a retried call changes nothing); with others it is refused (409).
     * Returns the items added. Nothing changes when anything fails.
     */
    List<EventStore.AddedItem> addItems(List<NewItem> items, java.util.function.BiConsumer<Integer, List<EventStore.AddedItem>> persist) {
        serving.writeLock().lock();
        try {
            if (closed) {
                throw new ApiException(503, "experiment " + experiment.id() + " has just been closed: the service is stopping or the experiment was replaced; retry");
            }
            Map<String, NewItem> fresh = new java.util.TreeMap<>();
            for (NewItem item : items) {
                if (dataset.catalogue().indexOf(item.itemId()).isPresent()) {
                    throw new ApiException(409, "item '" + item.itemId() + "' is in the data set of experiment " + experiment.id());
                }
                Integer known = addedIndex.get(item.itemId());
                if (known != null) {
                    EventStore.AddedItem a = added.get(known - dataset.catalogue().size());
                    if (!java.util.Objects.equals(a.price(), item.price()) || !Arrays.equals(a.controlSid(), item.controlSid())
                            || !Arrays.equals(a.treatmentSid(), item.treatmentSid())) {
                        throw new ApiException(409, "item '" + item.itemId() + "' was added to experiment " + experiment.id() + " with another price or SID");
                    }
                } else if (fresh.put(item.itemId(), item) != null) {
                    throw ApiException.badRequest("item '" + item.itemId() + "' appears twice in the request");
                }
            }
            if (fresh.isEmpty()) {
                return List.of();
            }
            List<String> ids = new ArrayList<>(fresh.keySet());
            SidTable control = extended(Experiment.CONTROL, ids, fresh, NewItem::controlSid);
            SidTable treatment = extended(Experiment.TREATMENT, ids, fresh, NewItem::treatmentSid);
            int n = arms.get(Experiment.CONTROL).sids().size();
            List<EventStore.AddedItem> out = new ArrayList<>(ids.size());
            for (int row = n; row < control.size(); row++) {
                NewItem item = fresh.get(control.item(row));
                out.add(new EventStore.AddedItem(item.itemId(), item.price(), item.controlSid(), control.dedup(row), item.treatmentSid(), treatment.dedup(row)));
            }
            for (String arm : arms.keySet()) {
                try {
                    arms.get(arm).checkAddItems(arm.equals(Experiment.CONTROL) ? control : treatment);
                } catch (IllegalArgumentException e) {
                    throw new ApiException(422, "arm " + arm + " of experiment " + experiment.id() + " cannot take the items: " + e.getMessage());
                }
            }
            persist.accept(added.size(), out);
            grow(control, treatment, out);
            return out;
        } finally {
            serving.writeLock().unlock();
        }
    }

    /** Arm {@code arm}'s table extended by the new items' SIDs in that arm ({@link StableAssignment#extend}). */
    private SidTable extended(String arm, List<String> ids, Map<String, NewItem> fresh, Function<NewItem, int[]> sid) {
        SidTable own = arms.get(arm).sids();
        Sid[] sids = ids.stream().map(id -> Sid.of(sid.apply(fresh.get(id)))).toArray(Sid[]::new);
        return StableAssignment.extend(own, new SidTable(ids, sids, own.shape())).table();
    }

    /** Both arms' models take the grown tables (checked already), then the catalogue lists {@code items}, their rows. */
    private void grow(SidTable control, SidTable treatment, List<EventStore.AddedItem> items) {
        arms.get(Experiment.CONTROL).addItems(control);
        arms.get(Experiment.TREATMENT).addItems(treatment);
        for (EventStore.AddedItem item : items) {
            addedIndex.put(item.itemId(), dataset.catalogue().size() + added.size());
            added.add(item);
        }
    }

    /** The catalogue index of {@code itemId}, if the catalogue (the data set's or an added item) has it. */
    OptionalInt item(String itemId) {
        OptionalInt i = dataset.catalogue().indexOf(itemId);
        Integer a = i.isPresent() ? null : addedIndex.get(itemId);
        return a == null ? i : OptionalInt.of(a);
    }

    /** Whether an item is a cold-start one: in the bottom popularity decile of the training split, or added after the data set. */
    boolean cold(int item) {
        return item >= cold.length || cold[item];
    }

    /** The catalogue price of an item; {@code NaN} if unknown. */
    double price(int item) {
        if (item >= dataset.catalogue().size()) {
            Double p = added.get(item - dataset.catalogue().size()).price();
            return p == null ? Double.NaN : p;
        }
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
            out.add(new Recommended(model.sids().item(s.item()), (float) s.score(), model.sids().sid(s.item()).codes()));
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
