package io.quasid.ab;

import com.fasterxml.jackson.databind.JsonNode;
import io.quasid.core.Progress;
import io.quasid.core.data.Dataset;
import io.quasid.core.data.LeaveOneOutSplit;
import io.quasid.core.io.Json;
import io.quasid.spi.Settings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns the held-out part of a data set into traffic: for each user with a held-out test item, asks the
 * service for a list (history = everything before the test item), sends an exposure per listed item,
 * and, when the held-out item is listed at 0-based position {@code r}, a click and an order with the
 * item's catalogue price (none when the catalogue has none) with probability {@code min(1, purchase_scale / log2(r + 2))} (a
 * position-based purchase model; the draw is fixed by the seed and the user). Runs {@code concurrency}
 * users at a time and measures the latency of every recommendation call.
 */
public final class ReplayDriver {
    /** The replay's settings; {@code ingestionKey} is sent with every event batch unless empty. */
    public record Config(URI url, String experiment, int k, int concurrency, long seed, double purchaseScale, int users, String ingestionKey) {
        public Config {
            Settings.inRange("k", k, 1, AbService.MAX_K);
            Settings.inRange("concurrency", concurrency, 1, 1024);
            Settings.inRange("purchase_scale", purchaseScale, 0, 1);
            Settings.inRange("users", users, 0, Integer.MAX_VALUE);
        }
    }

    private static final int MAX_HISTORY = 50;

    private final Config config;
    private final HttpClient client;

    public ReplayDriver(Config config) {
        this.config = config;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Replays the split's evaluated users (the first {@code users} of them when set) and returns the summary. */
    public Map<String, Object> run(LeaveOneOutSplit split) throws InterruptedException {
        Dataset data = split.dataset();
        List<Integer> users = new ArrayList<>();
        for (int u = 0; u < data.userCount() && (config.users() == 0 || users.size() < config.users()); u++) {
            if (split.evaluated(u)) {
                users.add(u);
            }
        }
        long[] latencies = new long[users.size()];
        AtomicInteger done = new AtomicInteger();
        AtomicLong events = new AtomicLong();
        AtomicLong orders = new AtomicLong();
        AtomicLong listed = new AtomicLong();
        AtomicLong withoutPrice = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(config.concurrency());
        long start = System.nanoTime();
        try (Progress progress = Progress.start("replay", users.size(), "users")) {
            for (int n = 0; n < users.size(); n++) {
                int slot = n;
                int u = users.get(n);
                pool.execute(() -> {
                    try {
                        replay(split, u, slot, latencies, events, orders, listed, withoutPrice);
                    } catch (IOException | RuntimeException e) {
                        errors.incrementAndGet();
                        if (firstErrors.size() < 5) {
                            firstErrors.add("user " + data.user(u) + ": " + e.getMessage());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    done.incrementAndGet();
                    progress.stepBy(1);
                });
            }
            pool.shutdown();
            while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                progress.extra(errors.get() + " errors");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] measured = Arrays.stream(latencies).filter(l -> l > 0).sorted().toArray();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("experiment", config.experiment());
        out.put("users", users.size());
        out.put("requests", measured.length);
        out.put("events", events.get());
        out.put("held_out_listed", listed.get());
        out.put("orders", orders.get());
        out.put("orders_without_price", withoutPrice.get());
        out.put("errors", errors.get());
        out.put("first_errors", List.copyOf(firstErrors));
        out.put("seconds", seconds);
        out.put("requests_per_second", measured.length / seconds);
        Map<String, Double> latency = new LinkedHashMap<>();
        for (double q : new double[] {0.5, 0.9, 0.99}) {
            latency.put("p" + Math.round(q * 100), measured.length == 0 ? Double.NaN
                    : measured[Math.min(measured.length - 1, (int) Math.ceil(q * measured.length) - 1)] / 1e6);
        }
        latency.put("max", measured.length == 0 ? Double.NaN : measured[measured.length - 1] / 1e6);
        out.put("latency_ms", latency);
        out.put("concurrency", config.concurrency());
        out.put("purchase_scale", config.purchaseScale());
        out.put("seed", config.seed());
        return out;
    }

    private void replay(LeaveOneOutSplit split, int u, int slot, long[] latencies, AtomicLong events, AtomicLong orders, AtomicLong listed,
                        AtomicLong withoutPrice) throws IOException, InterruptedException {
        Dataset data = split.dataset();
        String userId = data.user(u);
        List<String> history = new ArrayList<>();
        for (int i : split.testHistory(u, MAX_HISTORY)) {
            history.add(data.catalogue().item(i).id());
        }
        int held = split.testTarget(u);
        Map<String, Object> ask = new LinkedHashMap<>();
        ask.put("experiment", config.experiment());
        ask.put("userId", userId);
        ask.put("history", history);
        ask.put("k", config.k());
        long t0 = System.nanoTime();
        JsonNode answer = post("/v1/recommendations", ask);
        latencies[slot] = Math.max(1, System.nanoTime() - t0);
        String requestId = answer.get("requestId").asText();
        String target = data.catalogue().item(held).id();
        List<Map<String, Object>> batch = new ArrayList<>();
        int position = -1;
        JsonNode items = answer.get("items");
        long now = System.currentTimeMillis();
        for (int r = 0; r < items.size(); r++) {
            String itemId = items.get(r).get("itemId").asText();
            batch.add(event(requestId, userId, "exposure", itemId, null, now));
            if (itemId.equals(target)) {
                position = r;
            }
        }
        if (position >= 0) {
            listed.incrementAndGet();
            Random random = new Random(config.seed() * 1_000_003L + userId.hashCode());
            if (random.nextDouble() < Math.min(1, config.purchaseScale() / (Math.log(position + 2) / Math.log(2)))) {
                double catalogue = data.catalogue().item(held).price();
                Double price = Double.isNaN(catalogue) ? null : catalogue;
                if (price == null) {
                    withoutPrice.incrementAndGet();
                }
                batch.add(event(requestId, userId, "click", target, null, now));
                batch.add(event(requestId, userId, "order", target, price, now));
                orders.incrementAndGet();
            }
        }
        post("/v1/events", batch);
        events.addAndGet(batch.size());
    }

    private static Map<String, Object> event(String requestId, String userId, String type, String itemId, Double price, long time) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("requestId", requestId);
        e.put("userId", userId);
        e.put("type", type);
        e.put("itemId", itemId);
        if (price != null) {
            e.put("price", price);
        }
        e.put("timestamp", time);
        return e;
    }

    private JsonNode post(String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(config.url().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JsonBody.MAPPER.writeValueAsString(body)));
        if (!config.ingestionKey().isEmpty()) {
            request.header("X-Ingestion-Key", config.ingestionKey());
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return Json.MAPPER.readTree(response.body());
    }
}
