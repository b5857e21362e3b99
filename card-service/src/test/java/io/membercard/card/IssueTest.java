package io.membercard.card;

import static io.membercard.card.Fixtures.createCardClass;
import static io.membercard.card.Fixtures.createOrder;
import static io.membercard.card.Fixtures.detailIds;
import static io.membercard.card.Fixtures.getOrder;
import static io.membercard.card.Fixtures.manager;
import static io.membercard.card.Fixtures.newTenant;
import static io.membercard.card.Fixtures.writtenCard;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** member-service's card calls: issuing cards to members in batches, giving them back, finding a member's card. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(PaymentServiceStub.class)
class IssueTest {
    static final String KEY = "test-only-service-key";
    private final Pool pool;

    IssueTest(Pool pool) {
        this.pool = pool;
    }

    static ValidatableResponse issue(String json) {
        return given().header("X-Service-Key", KEY).contentType(ContentType.JSON).body(json)
                .post("/internal/service/cards/issue").then();
    }

    @Test
    void aBatchBindsWritesAndCreatesCardsAndAnswersEachItem() {
        long tenant = newTenant();
        long gold = createCardClass(tenant, "Gold");
        long order = createOrder(tenant, 3, gold, "B0001", 2);
        long firstDetail = detailIds(tenant, order).get(0);
        String written = writtenCard(tenant, 3, "B5000", "mac-written");
        String taken = writtenCard(tenant, 3, "B6000", "mac-taken");
        issue("{\"tenantId\":" + tenant + ",\"shopId\":3,\"userId\":\"1\",\"items\":[{\"key\":\"pre\","
                + "\"memberId\":900,\"cardCode\":\"" + taken + "\",\"mac\":\"mac-taken\",\"sendMode\":1}]}")
                .statusCode(200)
                .body("data[0].card.memberId", equalTo(900));
        String body = "{\"tenantId\":" + tenant + ",\"shopId\":3,\"shopName\":\"Shop 3\",\"cardClassId\":" + gold
                + ",\"userId\":\"1\",\"userName\":\"ops\",\"items\":["
                + "{\"key\":\"a\",\"memberId\":1,\"cardCode\":\"B0001\",\"mac\":\"mac-a\",\"sendMode\":1},"
                + "{\"key\":\"b\",\"memberId\":2,\"cardCode\":\"" + written + "\",\"mac\":\"mac-written\","
                + "\"sendMode\":1},"
                + "{\"key\":\"c\",\"memberId\":3,\"sendMode\":4},"
                + "{\"key\":\"d\",\"memberId\":4,\"cardCode\":\"IMP-001\",\"sendMode\":1,\"create\":true},"
                + "{\"key\":\"e\",\"memberId\":5,\"cardCode\":\"NOPE\",\"sendMode\":1},"
                + "{\"key\":\"f\",\"memberId\":6,\"cardCode\":\"" + taken + "\",\"sendMode\":1}]}";
        JsonPath first = issue(body).statusCode(200).body("data", hasSize(6))
                .body("data[0].card.code", equalTo("B0001")).body("data[0].card.status", equalTo(2))
                .body("data[0].card.memberId", equalTo(1))
                .body("data[1].card.code", equalTo(written)).body("data[1].card.memberId", equalTo(2))
                .body("data[2].card.code", matchesPattern("8\\d{11}")).body("data[2].card.sendMode", equalTo(4))
                .body("data[2].card.status", equalTo(2))
                .body("data[3].card.code", equalTo("IMP-001")).body("data[3].card.status", equalTo(1))
                .body("data[3].card.cardClassName", equalTo("Gold"))
                .body("data[4].status", equalTo(602)).body("data[4].card", nullValue())
                .body("data[5].status", equalTo(400)).body("data[5].message", startsWith("cardCode: card " + taken))
                .extract().jsonPath();
        // The order's first card (B0001) was written by the issue: its detail is finished, the next is not.
        getOrder(manager(tenant), order).then().body("writeCount", equalTo(1)).body("currentCode", equalTo("B0002"))
                .body("details.find { it.id == " + firstDetail + " }.cardCode", equalTo("B0001"))
                .body("details.find { it.id == " + firstDetail + " }.isFinished", equalTo(true))
                .body("details.find { it.cardCode == 'B0002' }.isFinished", equalTo(false));

        // The same request again: the same cards, nothing new.
        JsonPath again = issue(body).statusCode(200).extract().jsonPath();
        for (int i = 0; i < 4; i++) {
            assertThat(again.getLong("data[" + i + "].card.id")).isEqualTo(first.getLong("data[" + i + "].card.id"));
        }
        // A member has one card: asked for again under another key, the answer is the card it has.
        issue("{\"tenantId\":" + tenant + ",\"shopId\":3,\"cardClassId\":" + gold + ",\"userId\":\"1\",\"items\":["
                + "{\"key\":\"c-again\",\"memberId\":3,\"sendMode\":4},"
                + "{\"key\":\"a-again\",\"memberId\":1,\"cardCode\":\"B0001\",\"sendMode\":1}]}").statusCode(200)
                .body("data[0].card.id", equalTo((int) first.getLong("data[2].card.id")))
                .body("data[1].card.id", equalTo((int) first.getLong("data[0].card.id")));
        long cards = pool.preparedQuery("select count(*) from card where tenant_id = $1").execute(Tuple.of(tenant))
                .await().indefinitely().iterator().next().getLong(0);
        assertThat(cards).isEqualTo(6);
        // The issuer learns the cards from the answer: no events for them.
        long events = pool.preparedQuery("select count(*) from outbox_event where tenant_id = $1 and type = "
                + "'card.changed'").execute(Tuple.of(tenant)).await().indefinitely().iterator().next().getLong(0);
        assertThat(events).isZero();
        // A secret another card has is refused without saying so, and locks the user out of card secrets.
        String collide = "{\"tenantId\":" + tenant + ",\"shopId\":3,\"userId\":\"9\",\"items\":[{\"key\":\"g\","
                + "\"memberId\":7,\"cardCode\":\"B0002\",\"mac\":\"mac-written\",\"sendMode\":1}]}";
        issue(collide).statusCode(200).body("data[0].status", equalTo(400))
                .body("data[0].message", equalTo(io.membercard.card.card.CardService.macRefused().getMessage()));
        issue(collide.replace("mac-written", "mac-other")).statusCode(200).body("status", equalTo(601));
        // A written card goes to a member only with its secret.
        String other = writtenCard(tenant, 3, "B7000", "mac-seven");
        issue("{\"tenantId\":" + tenant + ",\"shopId\":3,\"userId\":\"1\",\"items\":[{\"key\":\"h\","
                + "\"memberId\":8,\"cardCode\":\"" + other + "\",\"sendMode\":1}]}").statusCode(200)
                .body("data[0].status", equalTo(400)).body("data[0].message", startsWith("mac: is required"));

        // A member that could not be created gives its card back.
        long virtual = first.getLong("data[2].card.id");
        given().header("X-Service-Key", KEY).queryParam("tenantId", tenant).queryParam("memberId", 3)
                .get("/internal/service/cards/by-member").then().statusCode(200)
                .body("data.id", equalTo((int) virtual));
        String release = "/internal/service/cards/release";
        // Another member's or another tenant's card is not given back; a body without the card is refused.
        given().header("X-Service-Key", KEY).contentType(ContentType.JSON)
                .body("{\"tenantId\":" + tenant + ",\"memberId\":4,\"cardId\":" + virtual + "}")
                .post(release).then().statusCode(200).body("data", equalTo(false));
        given().header("X-Service-Key", KEY).contentType(ContentType.JSON)
                .body("{\"tenantId\":" + newTenant() + ",\"memberId\":3,\"cardId\":" + virtual + "}")
                .post(release).then().statusCode(200).body("data", equalTo(false));
        given().header("X-Service-Key", KEY).contentType(ContentType.JSON)
                .body("{\"tenantId\":" + tenant + ",\"memberId\":3}").post(release).then().statusCode(400)
                .body("message", startsWith("cardId: "));
        given().contentType(ContentType.JSON).body("{\"tenantId\":" + tenant + ",\"memberId\":3,\"cardId\":"
                + virtual + "}").post(release).then().statusCode(401);
        given().header("X-Service-Key", KEY).contentType(ContentType.JSON)
                .body("{\"tenantId\":" + tenant + ",\"memberId\":3,\"cardId\":" + virtual + "}")
                .post(release).then().statusCode(200).body("data", equalTo(true));
        given().header("X-Service-Key", KEY).queryParam("tenantId", tenant).queryParam("memberId", 3)
                .get("/internal/service/cards/by-member").then().statusCode(404);
        given().header("X-Service-Key", KEY).queryParam("tenantId", newTenant()).queryParam("memberId", 1)
                .get("/internal/service/cards/by-member").then().statusCode(404);
        given().queryParam("tenantId", tenant).queryParam("memberId", 1).get("/internal/service/cards/by-member")
                .then().statusCode(401);
    }

    @Test
    void badBatchesAreRefusedWholeAndTheKeyIsRequired() {
        long tenant = newTenant();
        String item = "{\"key\":\"k\",\"memberId\":1,\"sendMode\":4}";
        issue("{\"tenantId\":" + tenant + ",\"shopId\":1,\"userId\":\"1\",\"items\":[" + item + "," + item + "]}")
                .statusCode(400).body("message", equalTo("items[1].key: is listed twice"));
        issue("{\"tenantId\":" + tenant + ",\"shopId\":1,\"userId\":\"1\",\"items\":[{\"key\":\"k\",\"memberId\":1,"
                + "\"sendMode\":9}]}").statusCode(400).body("message", startsWith("items[0].sendMode: "));
        issue("{\"tenantId\":" + tenant + ",\"shopId\":1,\"userId\":\"1\",\"items\":[{\"key\":\"k\",\"memberId\":1,"
                + "\"cardCode\":\"a b\",\"sendMode\":1}]}").statusCode(400)
                .body("message", equalTo("items[0].cardCode: must be letters, digits, - or _"));
        issue("{\"tenantId\":" + tenant + ",\"shopId\":1,\"userId\":\"1\",\"items\":[]}").statusCode(400)
                .body("message", equalTo("items: must not be empty"));
        issue("{\"tenantId\":" + tenant + ",\"shopId\":1,\"userId\":\"1\",\"items\":[" + item + "]}").statusCode(200)
                .body("data[0].status", equalTo(400)).body("data[0].message", startsWith("cardClassId: "));
        given().contentType(ContentType.JSON).body("{}").post("/internal/service/cards/issue").then().statusCode(401);
        given().header("Authorization", manager(tenant)).contentType(ContentType.JSON).body("{}")
                .post("/internal/service/cards/issue").then().statusCode(401);
    }
}
