package io.quasid.ab;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service on a free port with an H2 file store, serving experiment "shop" (see {@link Shop}). */
final class TestService {
    @TempDir
    static Path dir;
    static ApplicationContext context;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        context = Shop.create(dir).serve(dir, Map.of("quasid.admin-token", "secret"));
        http = Shop.http(context);
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    private static Http.Answer recommend(String user) throws Exception {
        return http.post("/v1/recommendations", "{\"experiment\":\"shop\",\"userId\":\"" + user + "\",\"k\":5}");
    }

    private static long stored(String type) throws Exception {
        Http.Answer r = http.get("/v1/experiments/shop/report");
        return r.json().get("arms").get("control").get(type + "s").asLong() + r.json().get("arms").get("treatment").get(type + "s").asLong();
    }

    @Test
    void aKnownUserGetsAListFromTheirArmWithSids() throws Exception {
        Http.Answer r = recommend("u7");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("arm").asText()).isEqualTo(Assignment.arm(new Experiment("shop", dir, "s1", 0.5,
                new Experiment.Arm(dir), new Experiment.Arm(dir)), "u7"));
        assertThat(r.json().get("items")).hasSize(5);
        assertThat(r.json().get("items").get(0).get("sid")).hasSize(2);
        assertThat(r.json().get("requestId").asText()).hasSize(36);
        assertThat(recommend("u7").json().get("arm")).isEqualTo(r.json().get("arm"));
    }

    @Test
    void aGenerativeRetrieverArmServesCatalogueItemsOutsideTheHistory() throws Exception {
        Http.Answer r = http.post("/v1/recommendations", "{\"experiment\":\"shop-tiger\",\"userId\":\"u7\",\"history\":[\"i9\",\"i10\"],\"k\":6}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("arm").asText()).isEqualTo("treatment");
        java.util.List<String> items = new java.util.ArrayList<>();
        r.json().get("items").forEach(i -> items.add(i.get("itemId").asText()));
        assertThat(items).hasSize(6).doesNotHaveDuplicates().doesNotContain("i9", "i10").allMatch(i -> i.matches("i([0-9]|[12][0-9])"));
        assertThat(r.json().get("items").get(0).get("sid")).hasSize(2);
    }

    @Test
    void anEventIsStoredOnceHoweverOftenItIsSent() throws Exception {
        Http.Answer r = recommend("u3");
        String requestId = r.json().get("requestId").asText();
        String item = r.json().get("items").get(0).get("itemId").asText();
        String event = "{\"requestId\":\"%s\",\"userId\":\"u3\",\"type\":\"order\",\"itemId\":\"%s\",\"price\":12.5,\"timestamp\":1700000000000}"
                .formatted(requestId, item);
        long before = stored("order");
        Http.Answer first = http.post("/v1/events", event);
        Http.Answer again = http.post("/v1/events", "[" + event + "," + event + "]");
        assertThat(first.status()).isEqualTo(202);
        assertThat(first.json().get("stored").asInt()).isEqualTo(1);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("stored").asInt()).isZero();
        assertThat(stored("order")).isEqualTo(before + 1);
    }

    @Test
    void theReportHasBothArmsAndEveryLift() throws Exception {
        recommend("u1");
        Http.Answer r = http.get("/v1/experiments/shop/report");
        assertThat(r.status()).isEqualTo(200);
        for (String arm : new String[] {"control", "treatment"}) {
            assertThat(r.json().get("arms").get(arm).has("gmv_per_user")).isTrue();
            assertThat(r.json().get("arms").get(arm).get("cold_start").has("order_rate")).isTrue();
        }
        for (String lift : new String[] {"order_rate", "gmv_per_user", "cold_start_order_rate", "cold_start_gmv_per_user"}) {
            assertThat(r.json().get("lifts").get(lift).has("p_value")).as(lift).isTrue();
        }
    }

    @Test
    void malformedJsonIsRefusedWithWhereItBroke() throws Exception {
        Http.Answer r = http.post("/v1/recommendations", "{\"userId\": ");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).contains("malformed JSON").contains("line 1");
    }

    @Test
    void anUnknownExperimentIsNotFound() throws Exception {
        Http.Answer r = http.post("/v1/recommendations", "{\"experiment\":\"nope\",\"userId\":\"u1\"}");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("error").asText()).contains("unknown experiment 'nope'").contains("shop");
        assertThat(http.get("/v1/experiments/nope/report").status()).isEqualTo(404);
    }

    @Test
    void kOutOfRangeIsRefused() throws Exception {
        for (String k : new String[] {"0", "101", "2.5", "\"ten\""}) {
            Http.Answer r = http.post("/v1/recommendations", "{\"experiment\":\"shop\",\"userId\":\"u1\",\"k\":" + k + "}");
            assertThat(r.status()).as(k).isEqualTo(400);
            assertThat(r.json().get("error").asText()).contains("k = ").contains("[1, 100]");
        }
    }

    @Test
    void aNegativePriceOrAnUnknownItemStoresNothingOfTheBatch() throws Exception {
        Http.Answer r = recommend("u5");
        String requestId = r.json().get("requestId").asText();
        String good = "{\"requestId\":\"%s\",\"userId\":\"u5\",\"type\":\"exposure\",\"itemId\":\"i7\"}".formatted(requestId);
        long before = stored("exposure");
        Http.Answer negative = http.post("/v1/events", "[" + good + ",{\"requestId\":\"%s\",\"userId\":\"u5\",\"type\":\"order\",\"itemId\":\"i8\",\"price\":-1}]"
                .formatted(requestId));
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.json().get("error").asText()).contains("[1].price = -1").contains(">= 0");
        Http.Answer unknown = http.post("/v1/events", "[" + good + ",{\"requestId\":\"%s\",\"userId\":\"u5\",\"type\":\"click\",\"itemId\":\"zz\"}]"
                .formatted(requestId));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error").asText()).contains("itemId = 'zz' is not an item");
        assertThat(stored("exposure")).isEqualTo(before);
    }

    @Test
    void anUnknownItemInTheHistoryIsRefused() throws Exception {
        Http.Answer r = http.post("/v1/recommendations", "{\"experiment\":\"shop\",\"userId\":\"new\",\"history\":[\"i1\",\"nope\"]}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).contains("history[1] = 'nope'");
    }

    @Test
    void anEventOfARequestNeverServedIsNotFound() throws Exception {
        Http.Answer r = http.post("/v1/events", "{\"requestId\":\"00000000-0000-0000-0000-000000000000\",\"userId\":\"u2\",\"type\":\"click\",\"itemId\":\"i7\"}");
        assertThat(r.status()).isEqualTo(404);
    }

    @Test
    void anOversizedBodyIsRefused() throws Exception {
        String big = "{\"experiment\":\"shop\",\"userId\":\"u1\",\"history\":[" + "\"i1\",".repeat(300_000) + "\"i1\"]}";
        assertThat(http.post("/v1/recommendations", big).status()).isEqualTo(413);
    }

    @Test
    void theAdminEndpointRefusesAMissingOrWrongToken() throws Exception {
        String body = JsonBody.MAPPER.readTree(dir.resolve("experiments.json").toFile()).get(0).toString().replace("\"shop\"", "\"shop2\"");
        assertThat(http.post("/v1/admin/experiments", body).status()).isEqualTo(401);
        assertThat(http.post("/v1/admin/experiments", body, "Authorization", "Bearer wrong").status()).isEqualTo(401);
        assertThat(http.get("/v1/experiments").json().get("experiments").toString()).doesNotContain("shop2");
        Http.Answer created = http.post("/v1/admin/experiments", body, "Authorization", "Bearer secret");
        assertThat(created.status()).isEqualTo(201);
        assertThat(http.get("/v1/experiments").json().get("experiments").toString()).contains("shop2");
    }

    @Test
    void healthAndPrometheusMetricsAreServed() throws Exception {
        assertThat(http.get("/health").status()).isEqualTo(200);
        recommend("u9");
        Http.Answer metrics = http.get("/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("http_server_requests");
    }
}
