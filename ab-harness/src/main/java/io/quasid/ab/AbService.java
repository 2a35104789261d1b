package io.quasid.ab;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import io.quasid.core.io.Json;
import io.quasid.spi.CodebookShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the A/B service does, apart from HTTP: assigns arms, serves lists from each arm's model and logs
 * each request, takes events, and reports per arm with lifts. Request bodies are JSON strings; a bad one
 * is refused with an {@link ApiException} and stores nothing.
 */
public final class AbService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AbService.class);
    /** Largest list a request may ask for. */
    public static final int MAX_K = 100;
    /** Largest number of events in one request. */
    public static final int MAX_EVENTS = 1000;
    static final List<String> TYPES = List.of("exposure", "click", "order");

    private final EventStore store;
    private final Device device;
    private final double maxPrice;
    private final Map<String, LiveExperiment> experiments = new ConcurrentHashMap<>();

    /** A service over {@code store}, its models on {@code device}, refusing event prices above {@code maxPrice}. */
    public AbService(EventStore store, Device device, double maxPrice) {
        io.quasid.spi.Settings.inRange("quasid.max-price", maxPrice, 0.01, 1e12); // sums of prices stay far from overflow
        this.store = store;
        this.device = device;
        this.maxPrice = maxPrice;
        store.experiments().forEach((id, definition) -> {
            try {
                install(parseExperiment(definition), false);
            } catch (RuntimeException e) {
                LOG.warn("stored experiment {} cannot be served: {}", id, e.getMessage());
            }
        });
    }

    /** Loads every experiment of a JSON file (one object or an array of them). */
    public void loadExperiments(Path file) {
        JsonNode root;
        try {
            root = JsonBody.MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the experiments: " + e.getMessage(), e);
        }
        for (JsonNode n : root.isArray() ? root : List.of(root)) {
            try {
                install(parseExperiment(n.toString()), true);
            } catch (ApiException | IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Creates or replaces an experiment (the admin endpoint); returns its id. */
    public String createExperiment(String body) {
        return install(parseExperiment(body), true).id();
    }

    private static Experiment parseExperiment(String json) {
        try {
            return Json.MAPPER.treeToValue(JsonBody.MAPPER.readTree(json == null ? "" : json), Experiment.class);
        } catch (IOException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            String message = cause instanceof com.fasterxml.jackson.core.JsonProcessingException p ? p.getOriginalMessage() : cause.getMessage();
            throw ApiException.badRequest("experiment: " + message);
        }
    }

    /**
     * Serves {@code experiment} (storing its definition when {@code persist}), with the items added to it so far
     * when its stored definition is this one; a different definition starts from its data set's catalogue.
     */
    private Experiment install(Experiment experiment, boolean persist) {
        String definition = Json.toString(experiment);
        List<EventStore.AddedItem> items = definition.equals(store.experiments().get(experiment.id())) ? store.addedItems(experiment.id()) : List.of();
        LiveExperiment live;
        try {
            live = new LiveExperiment(experiment, device, items);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("experiment " + experiment.id() + ": " + e.getMessage());
        }
        if (persist) {
            store.saveExperiment(experiment.id(), definition);
        }
        LiveExperiment old = experiments.put(experiment.id(), live);
        if (old != null) {
            old.close();
        }
        LOG.info("experiment {} serves control {} and treatment {} ({} to treatment)", experiment.id(), experiment.control().model(),
                experiment.treatment().model(), experiment.split());
        return experiment;
    }

    public Set<String> experimentIds() {
        return Set.copyOf(experiments.keySet());
    }

    private LiveExperiment experiment(String id) {
        LiveExperiment e = experiments.get(id);
        if (e == null) {
            throw ApiException.notFound("unknown experiment '" + id + "'; serving " + experiments.keySet());
        }
        return e;
    }

    /** {@code POST /v1/recommendations}: {experiment?, userId, history?, k?}. */
    public Map<String, Object> recommend(String body) {
        JsonBody b = JsonBody.parse(body, false, Set.of("experiment", "userId", "history", "k")).get(0);
        String userId = b.text("userId");
        int k = b.integer("k", 10, 1, MAX_K);
        LiveExperiment live = b.has("experiment") ? experiment(b.text("experiment")) : onlyExperiment();
        int[] history;
        List<String> ids = b.strings("history");
        if (ids != null) {
            history = new int[ids.size()];
            for (int i = 0; i < history.length; i++) {
                history[i] = known(live, ids.get(i), "history[" + i + "]");
            }
        } else {
            history = live.history(userId);
            if (history == null) {
                throw ApiException.badRequest("userId '" + userId + "' is not in the data set of experiment " + live.experiment().id()
                        + ": send its history");
            }
        }
        if (history.length == 0) {
            throw ApiException.badRequest("history is empty: the ranking model needs at least one item");
        }
        String arm = Assignment.arm(live.experiment(), userId);
        List<LiveExperiment.Recommended> items = live.recommend(arm, history, k);
        String requestId = UUID.randomUUID().toString();
        store.saveRequest(new EventStore.Request(requestId, live.experiment().id(), arm, userId), System.currentTimeMillis());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("experiment", live.experiment().id());
        out.put("arm", arm);
        out.put("requestId", requestId);
        List<Map<String, Object>> list = new ArrayList<>();
        for (LiveExperiment.Recommended r : items) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("itemId", r.itemId());
            item.put("score", r.score());
            item.put("sid", r.sid());
            list.add(item);
        }
        out.put("items", list);
        return out;
    }

    private LiveExperiment onlyExperiment() {
        if (experiments.size() != 1) {
            throw ApiException.badRequest("experiment is required: serving " + experiments.keySet());
        }
        return experiments.values().iterator().next();
    }

    private static int known(LiveExperiment live, String itemId, String field) {
        OptionalInt i = live.item(itemId);
        if (i.isEmpty()) {
            throw ApiException.badRequest(field + " = '" + itemId + "' is not an item of experiment " + live.experiment().id());
        }
        return i.getAsInt();
    }

    /**
     * {@code POST /v1/events}: one event or an array of up to {@link #MAX_EVENTS}, each {requestId, userId,
     * type, itemId, price?, timestamp?}. An order without a price takes the catalogue's, and is stored
     * without one when the catalogue has none (it counts as an order; the report's GMV is then unknown).
     * All are checked before any is stored; returns {accepted, stored}.
     */
    public Map<String, Object> events(String body) {
        List<JsonBody> bodies = JsonBody.parse(body, true, Set.of("requestId", "userId", "type", "itemId", "price", "timestamp"));
        if (bodies.size() > MAX_EVENTS) {
            throw new ApiException(413, bodies.size() + " events in one request: at most " + MAX_EVENTS);
        }
        List<EventStore.Event> events = new ArrayList<>(bodies.size());
        Map<String, EventStore.Request> requests = new LinkedHashMap<>();
        long now = System.currentTimeMillis();
        for (JsonBody b : bodies) {
            String requestId = b.text("requestId");
            EventStore.Request request = requests.computeIfAbsent(requestId, id -> store.request(id).orElse(null));
            if (request == null) {
                throw ApiException.notFound("requestId '" + requestId + "' was never served");
            }
            String userId = b.text("userId");
            if (!userId.equals(request.userId())) {
                throw ApiException.badRequest("userId '" + userId + "' does not match request " + requestId + " (served to '" + request.userId() + "')");
            }
            String type = b.text("type");
            if (!TYPES.contains(type)) {
                throw ApiException.badRequest("type = '" + type + "' is not allowed: one of " + TYPES);
            }
            LiveExperiment live = experiment(request.experiment());
            String itemId = b.text("itemId");
            int item = known(live, itemId, "itemId");
            Double price = b.number("price", maxPrice);
            if (type.equals("order") && price == null && !Double.isNaN(live.price(item))) {
                price = live.price(item);
            }
            events.add(new EventStore.Event(request, type, itemId, price, live.cold(item), b.time("timestamp", now)));
        }
        int stored = store.addEvents(events);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accepted", events.size());
        out.put("stored", stored);
        return out;
    }

    /**
     * {@code POST /v1/admin/experiments/{id}/items} (the admin endpoint): one item or an array of up to
     * {@link #MAX_EVENTS}, each {itemId, price?, controlSid, treatmentSid}, a SID for each arm's model (as
     * {@code quasid assign} makes them with the arm's tokenizer). Stored before it is answered, and from then
     * on in both arms' catalogues (cold-start items); returns {added, unchanged, items: [{itemId, controlD,
     * treatmentD}]}, each new item's de-duplication code in each arm.
     */
    public Map<String, Object> addItems(String experimentId, String body) {
        LiveExperiment live = experiment(experimentId);
        List<JsonBody> bodies = JsonBody.parse(body, true, Set.of("itemId", "price", "controlSid", "treatmentSid"));
        if (bodies.size() > MAX_EVENTS) {
            throw new ApiException(413, bodies.size() + " items in one request: at most " + MAX_EVENTS);
        }
        CodebookShape control = live.shape(Experiment.CONTROL);
        CodebookShape treatment = live.shape(Experiment.TREATMENT);
        List<LiveExperiment.NewItem> items = new ArrayList<>(bodies.size());
        for (JsonBody b : bodies) {
            items.add(new LiveExperiment.NewItem(b.text("itemId"), b.number("price", maxPrice), b.sid("controlSid", control.levels(), control.codes()),
                    b.sid("treatmentSid", treatment.levels(), treatment.codes())));
        }
        List<EventStore.AddedItem> added = live.addItems(items, (after, fresh) -> store.addItems(experimentId, after, fresh));
        LOG.info("experiment {}: {} items added to the catalogue", experimentId, added.size());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("added", added.size());
        out.put("unchanged", items.size() - added.size());
        List<Map<String, Object>> list = new ArrayList<>();
        for (EventStore.AddedItem a : added) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("itemId", a.itemId());
            item.put("controlD", a.controlDedup());
            item.put("treatmentD", a.treatmentDedup());
            list.add(item);
        }
        out.put("items", list);
        return out;
    }

    /** {@code GET /v1/experiments/{id}/report}. */
    public Map<String, Object> report(String id) {
        return Report.of(experiment(id).experiment(), store);
    }

    @Override
    public void close() {
        experiments.values().forEach(LiveExperiment::close);
        experiments.clear();
    }
}
