package io.quasid.ab;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What clients that err or attack send, against a service that requires an ingestion key and caps prices
 * at 500: every answer is the right 2xx or a 4xx naming the field, and nothing wraps or shows internals.
 */
final class TestHostileClients {
    private static final String KEY = "k3y";

    @TempDir
    static Path dir;
    static ApplicationContext context;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        context = Shop.create(dir).serve(dir, Map.of("quasid.ingestion-key", KEY, "quasid.max-price", 500));
        http = Shop.http(context);
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    private static Http.Answer recommend(String experiment, String user) throws Exception {
        return http.post("/v1/recommendations", "{\"experiment\":\"%s\",\"userId\":\"%s\",\"k\":10}".formatted(experiment, user));
    }

    private static Http.Answer events(String body) throws Exception {
        return http.post("/v1/events", body, "X-Ingestion-Key", KEY);
    }

    private static String event(String requestId, String user, String type, String item, String extra) {
        return "{\"requestId\":\"%s\",\"userId\":\"%s\",\"type\":\"%s\",\"itemId\":\"%s\"%s}".formatted(requestId, user, type, item, extra);
    }

    /** The error of a refusal with {@code status}; it never carries a stack trace or SQL. */
    private static String refused(Http.Answer answer, int status) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        String error = answer.json().get("error").asText();
        assertThat(error).doesNotContainIgnoringCase("exception").doesNotContainIgnoringCase("sql").doesNotContain("io.quasid");
        return error;
    }

    @Test
    void overlappingBatchesSentConcurrentlyAreEachAcceptedAndStoreEveryEventOnce() throws Exception {
        List<String> all = new ArrayList<>();
        for (int u = 0; u < 20; u++) {
            Http.Answer r = recommend("shop", "u" + (30 + u));
            for (var item : r.json().get("items")) {
                all.add(event(r.json().get("requestId").asText(), "u" + (30 + u), "exposure", item.get("itemId").asText(), ""));
            }
        }
        assertThat(all).hasSize(200);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Http.Answer>> answers = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int c = 0; c < 4; c++) {
                    List<String> mine = new ArrayList<>(all);
                    Collections.shuffle(mine, new Random(round * 4L + c));
                    String body = "[" + String.join(",", mine.subList(0, 100)) + "]";
                    answers.add(pool.submit(() -> events(body)));
                }
            }
            List<String> statuses = new ArrayList<>();
            for (Future<Http.Answer> a : answers) {
                Http.Answer answer = a.get(60, TimeUnit.SECONDS);
                statuses.add(answer.status() + (answer.status() == 202 ? "" : " " + answer.body()));
            }
            assertThat(statuses).containsOnly("202");
        } finally {
            pool.shutdownNow();
        }
        Http.Answer report = http.get("/v1/experiments/shop/report");
        long stored = report.json().get("arms").get("control").get("exposures").asLong() + report.json().get("arms").get("treatment").get("exposures").asLong();
        assertThat(stored).isEqualTo(Math.toIntExact(all.stream().distinct().count()));
    }

    @Test
    void eventsWithoutTheRightIngestionKeyAreRefused() throws Exception {
        String requestId = recommend("shop", "u1").json().get("requestId").asText();
        String body = event(requestId, "u1", "click", "i7", "");
        assertThat(refused(http.post("/v1/events", body), 401)).contains("X-Ingestion-Key");
        assertThat(refused(http.post("/v1/events", body, "X-Ingestion-Key", "wrong"), 401)).contains("wrong");
        assertThat(events(body).status()).isEqualTo(202);
    }

    @Test
    void aPriceAboveTheCeilingIsRefused() throws Exception {
        String requestId = recommend("shop", "u2").json().get("requestId").asText();
        for (String price : new String[] {"500.01", "1e308", "1e309"}) {
            String error = refused(events(event(requestId, "u2", "order", "i8", ",\"price\":" + price)), 400);
            assertThat(error).as(price).contains("price = ").contains("<= 500");
        }
    }

    @Test
    void anOrderOfAnItemWithoutAPriceCountsAndLeavesGmvUnknown() throws Exception {
        Http.Answer r = recommend("shop-tiger", "u3");
        Http.Answer stored = events(event(r.json().get("requestId").asText(), "u3", "order", "i29", ""));
        assertThat(stored.status()).isEqualTo(202);
        Http.Answer report = http.get("/v1/experiments/shop-tiger/report");
        var arm = report.json().get("arms").get(r.json().get("arm").asText());
        assertThat(arm.get("orders").asLong()).isEqualTo(1);
        assertThat(arm.get("orders_without_price").asLong()).isEqualTo(1);
        assertThat(arm.get("gmv").isNull()).isTrue();
        assertThat(report.json().get("lifts").get("gmv_per_user").isNull()).isTrue();
        assertThat(report.json().get("gmv_known").asBoolean()).isFalse();
        assertThat(report.json().get("gmv_unknown_because").asText()).contains("1 orders carry no price");
    }

    @Test
    void aUserIdLongerThanTheStoreHoldsIsRefused() throws Exception {
        String error = refused(http.post("/v1/recommendations", "{\"experiment\":\"shop\",\"userId\":\"%s\",\"history\":[\"i1\"]}"
                .formatted("x".repeat(201))), 400);
        assertThat(error).contains("userId has 201 characters: at most 200");
    }

    @Test
    void timesOutsideTheirRangeAreRefusedNotWrapped() throws Exception {
        String requestId = recommend("shop", "u4").json().get("requestId").asText();
        for (String time : new String[] {"\"+999999999-01-01T00:00:00Z\"", "18446744073709551623", "-1", "\"1969-12-31T23:59:59Z\""}) {
            String error = refused(events(event(requestId, "u4", "click", "i9", ",\"timestamp\":" + time)), 400);
            assertThat(error).as(time).contains("timestamp = ").contains("out of range");
        }
    }

    @Test
    void aListLengthThatWouldWrapIsRefused() throws Exception {
        String error = refused(http.post("/v1/recommendations", "{\"experiment\":\"shop\",\"userId\":\"u1\",\"k\":18446744073709551621}"), 400);
        assertThat(error).contains("k = 18446744073709551621 is out of range");
    }

    @Test
    void deeplyNestedJsonIsRefused() throws Exception {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertThat(refused(http.post("/v1/recommendations", deep), 400)).contains("malformed JSON");
        assertThat(refused(events(deep), 400)).contains("malformed JSON");
    }

    @Test
    void textAfterTheJsonBodyIsRefused() throws Exception {
        String error = refused(http.post("/v1/recommendations", "{\"experiment\":\"shop\",\"userId\":\"u1\"} {\"k\":5}"), 400);
        assertThat(error).contains("malformed JSON").containsIgnoringCase("trailing");
    }
}
