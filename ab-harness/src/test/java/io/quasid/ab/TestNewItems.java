package io.quasid.ab;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * New items reach serving: added with their SIDs through the admin endpoint, they are in the catalogue of
 * the running service at once and after a restart (see {@link Shop}: SIDs (i mod 6, i div 6), 2 levels of 6 codes).
 */
final class TestNewItems {
    private static final String ADMIN = "secret";

    @TempDir
    static Path dir;
    static Shop shop;
    static ApplicationContext context;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        shop = Shop.create(dir);
        context = shop.serve(dir, Map.of("quasid.admin-token", ADMIN));
        http = Shop.http(context);
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    private static Http.Answer add(String experiment, String body) throws Exception {
        return http.post("/v1/admin/experiments/" + experiment + "/items", body, "Authorization", "Bearer " + ADMIN);
    }

    private static Http.Answer recommend(String user, int k) throws Exception {
        return http.post("/v1/recommendations", "{\"experiment\":\"shop\",\"userId\":\"" + user + "\",\"k\":" + k + "}");
    }

    private static List<String> items(Http.Answer answer) {
        List<String> out = new ArrayList<>();
        answer.json().get("items").forEach(i -> out.add(i.get("itemId").asText()));
        return out;
    }

    @Test
    void aNewItemIsRecommendedAtOnceToAUserWhoseTopItemHasItsSidAndStillAfterARestart() throws Exception {
        Http.Answer before = recommend("u11", 5);
        String sid = before.json().get("items").get(0).get("sid").toString(); // the same SID in both arms' tables
        assertThat(items(before)).doesNotContain("new-1");
        Http.Answer added = add("shop", "{\"itemId\":\"new-1\",\"price\":19.5,\"controlSid\":" + sid + ",\"treatmentSid\":" + sid + "}");
        assertThat(added.status()).isEqualTo(200);
        assertThat(added.json().get("added").asInt()).isEqualTo(1);
        assertThat(added.json().get("items").get(0).get("controlD").asInt()).as("the SID's second item").isEqualTo(1);
        // the new item has exactly the rows of the item holding its SID: the two tie at the top
        assertThat(items(recommend("u11", 5))).contains("new-1");

        context.close();
        context = shop.serve(dir, Map.of("quasid.admin-token", ADMIN));
        http = Shop.http(context);
        assertThat(items(recommend("u11", 5))).as("after a restart").contains("new-1");
    }

    @Test
    void anOrderOfANewItemCountsAsAColdStartOrderAtItsPrice() throws Exception {
        assertThat(add("shop", "{\"itemId\":\"new-2\",\"price\":7,\"controlSid\":[2,5],\"treatmentSid\":[2,5]}").status()).isEqualTo(200);
        Http.Answer r = recommend("u4", 3);
        String event = "{\"requestId\":\"%s\",\"userId\":\"u4\",\"type\":\"order\",\"itemId\":\"new-2\"}".formatted(r.json().get("requestId").asText());
        assertThat(http.post("/v1/events", event).status()).isEqualTo(202);
        Http.Answer report = http.get("/v1/experiments/shop/report");
        double coldGmv = 0;
        for (String arm : new String[] {"control", "treatment"}) {
            coldGmv += report.json().get("arms").get(arm).get("cold_start").get("gmv").asDouble();
        }
        assertThat(coldGmv).isGreaterThanOrEqualTo(7.0);
    }

    @Test
    void aRetriedAdditionChangesNothingAndAnotherSidForTheSameItemIsAConflict() throws Exception {
        String body = "{\"itemId\":\"new-3\",\"controlSid\":[1,5],\"treatmentSid\":[1,5]}";
        assertThat(add("shop", body).json().get("added").asInt()).isEqualTo(1);
        Http.Answer again = add("shop", body);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("added").asInt()).isZero();
        assertThat(again.json().get("unchanged").asInt()).isEqualTo(1);
        Http.Answer other = add("shop", body.replace("[1,5],\"t", "[0,5],\"t"));
        assertThat(other.status()).isEqualTo(409);
        assertThat(add("shop", "{\"itemId\":\"i3\",\"controlSid\":[1,5],\"treatmentSid\":[1,5]}").status()).as("an item of the data set").isEqualTo(409);
    }

    @Test
    void aSidOfAnotherShapeIsRefusedNamingTheFieldAndNothingIsAdded() throws Exception {
        Http.Answer r = add("shop", "[{\"itemId\":\"new-4\",\"controlSid\":[1,2],\"treatmentSid\":[1,2]},"
                + "{\"itemId\":\"new-5\",\"controlSid\":[1,6],\"treatmentSid\":[1,2]}]");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("[1].controlSid[1] = 6 is out of range: an integer in [0, 5]");
        assertThat(add("shop", "{\"itemId\":\"new-4\",\"controlSid\":[1,2,3],\"treatmentSid\":[1,2]}").json().get("error").asText())
                .isEqualTo("controlSid = [1,2,3] is not allowed: an array of 2 integers in [0, 5]");
        String history = "{\"experiment\":\"shop\",\"userId\":\"u1\",\"history\":[\"new-4\"]}";
        assertThat(http.post("/v1/recommendations", history).status()).as("new-4 is not in the catalogue").isEqualTo(400);
    }

    @Test
    void addingItemsNeedsTheAdminToken() throws Exception {
        String body = "{\"itemId\":\"new-6\",\"controlSid\":[1,5],\"treatmentSid\":[1,5]}";
        assertThat(http.post("/v1/admin/experiments/shop/items", body).status()).isEqualTo(401);
        assertThat(http.post("/v1/admin/experiments/shop/items", body, "Authorization", "Bearer wrong").status()).isEqualTo(401);
    }

    @Test
    void aGenerativeRetrieverArmRefusesAnItemBeyondItsDeDuplicationCodes() throws Exception {
        // the shop's SIDs are unique: the retriever has de-duplication code 0 only, a second item of SID [0,0] needs 1
        Http.Answer r = add("shop-tiger", "{\"itemId\":\"new-7\",\"controlSid\":[0,0],\"treatmentSid\":[0,0]}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("error").asText()).contains("arm treatment of experiment shop-tiger cannot take the items: item new-7 has de-duplication code 1");
        assertThat(add("shop-tiger", "{\"itemId\":\"new-7\",\"controlSid\":[0,5],\"treatmentSid\":[0,5]}").status()).as("a free SID").isEqualTo(200);
    }
}
