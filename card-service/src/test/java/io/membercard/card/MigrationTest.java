package io.membercard.card;

import static io.membercard.card.Fixtures.cashier;
import static io.membercard.card.Fixtures.createCardClass;
import static io.membercard.card.Fixtures.createOrder;
import static io.membercard.card.Fixtures.detailIds;
import static io.membercard.card.Fixtures.manager;
import static io.membercard.card.Fixtures.newTenant;
import static io.membercard.card.Fixtures.writeCard;
import static io.membercard.card.Fixtures.writtenCard;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/** The card side of a shop migration: copies with the same codes and MACs, the old cards voided, or undone. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(PaymentServiceStub.class)
class MigrationTest {

    static ValidatableResponse service(String path, String json) {
        return given().header("X-Service-Key", IssueTest.KEY).contentType(ContentType.JSON).body(json).post(path)
                .then();
    }

    private static String copy(String id, long from, long to, boolean dry, String members) {
        return "{\"migrationId\":\"" + id + "\",\"fromTenantId\":" + from + ",\"toTenantId\":" + to
                + ",\"shopId\":7,\"shopName\":\"New shop\",\"dryRun\":" + dry + ",\"members\":" + members + "}";
    }

    @Test
    void theShopsCardsAreCopiedWithTheirMacsAndTheOldOnesEndVoid() {
        long from = newTenant();
        long to = newTenant();
        long gold = createCardClass(from, "Gold");
        long order = createOrder(from, 7, gold, "S0001", 3);
        List<Integer> details = detailIds(from, order);
        writeCard(manager(from), order, details.get(0), "mac-s1").then().statusCode(200);
        writeCard(manager(from), order, details.get(1), "mac-s2").then().statusCode(200);
        writtenCard(from, 8, "OTHER1", "mac-o");
        String id = "MG-" + UUID.randomUUID();
        String members = "[{\"cardId\":" + details.get(0) + ",\"memberId\":77}]";
        service("/internal/service/migrations/cards", copy(id, from, to, true, members)).statusCode(200)
                .body("data.cards", equalTo(3)).body("data.classesCreated", equalTo(1))
                .body("data.conflicts", org.hamcrest.Matchers.empty())
                .body("data.copies.card.code", contains("S0001", "S0002", "S0003"));
        JsonPath copied = service("/internal/service/migrations/cards", copy(id, from, to, false, members))
                .statusCode(200).body("data.cards", equalTo(3)).extract().jsonPath();
        assertThat(copied.getList("data.copies.card.code", String.class)).containsExactly("S0001", "S0002",
                "S0003");
        assertThat(copied.getInt("data.copies[0].card.memberId")).isEqualTo(77);
        assertThat(copied.getString("data.copies[0].card.cardClassName")).isEqualTo("Gold");
        // The copy answers to its old MAC in the new tenant; the old card is busy until the migration ends.
        given().header("Authorization", cashier(to, 7)).queryParam("cardCode", "S0001").queryParam("mac", "mac-s1")
                .get("/api/member/membercard/get").then().statusCode(200).body("shopName", equalTo("New shop"));
        given().header("Authorization", cashier(to, 7)).queryParam("mac", "mac-s2")
                .get("/internal/cards/check-by-mac").then().body("data.code", equalTo("S0002"));
        // A card secret names one card: the new tenant's own cards cannot take a copy's (old-salted) secret.
        String own = writtenCard(to, 7, "T0001", "mac-t");
        LifecycleTest.call(cashier(to, 7), "rewrite", "{\"code\":\"" + own + "\",\"mac\":\"mac-s2\","
                + "\"oldMac\":\"mac-t\"}").statusCode(400)
                .body("message", equalTo(io.membercard.card.card.CardService.macRefused().getMessage()));
        given().header("Authorization", cashier(from, 7)).queryParam("cardCode", "S0001").queryParam("mac", "mac-s1")
                .get("/internal/cards/check").then().body("status", equalTo(601));
        service("/internal/service/migrations/cards", copy(id, from, to, false, members)).statusCode(200)
                .body("data.copies.card.id", equalTo(copied.getList("data.copies.card.id")));

        service("/internal/service/migrations/cards/finish", "{\"migrationId\":\"" + id + "\"}").statusCode(200)
                .body("data", equalTo(3));
        service("/internal/service/migrations/cards/finish", "{\"migrationId\":\"" + id + "\"}").statusCode(200)
                .body("data", equalTo(0));
        given().header("Authorization", cashier(from, 7)).queryParam("cardCode", "S0001")
                .get("/internal/cards/by-code").then().body("data.status", equalTo(4));
        given().header("Authorization", cashier(from, 8)).queryParam("cardCode", "OTHER1")
                .get("/internal/cards/by-code").then().body("data.status", equalTo(2));
    }

    @Test
    void conflictingCodesRefuseTheMigrationAndAnAbortUndoesTheCopies() {
        long from = newTenant();
        long to = newTenant();
        long silver = createCardClass(from, "Silver");
        createOrder(from, 7, silver, "K0001", 2);
        createOrder(to, 1, createCardClass(to, "Silver"), "K0002", 1);
        String id = "MG-" + UUID.randomUUID();
        service("/internal/service/migrations/cards", copy(id, from, to, true, "[]")).statusCode(200)
                .body("data.conflicts", contains("K0002")).body("data.classesCreated", equalTo(0));
        service("/internal/service/migrations/cards", copy(id, from, to, false, "[]")).statusCode(400)
                .body("message", startsWith("shopId: 1 card code(s) of the shop exist in the new tenant"));

        long third = newTenant();
        String other = "MG-" + UUID.randomUUID();
        service("/internal/service/migrations/cards", copy(other, from, third, false, "[]")).statusCode(200)
                .body("data.cards", equalTo(2));
        service("/internal/service/migrations/cards/abort", "{\"migrationId\":\"" + other + "\"}").statusCode(200)
                .body("data", equalTo(2));
        given().header("Authorization", cashier(third, 7)).queryParam("cardCode", "K0001")
                .get("/internal/cards/by-code").then().body("status", equalTo(602));
        service("/internal/service/migrations/cards", copy(id, from, from, false, "[]")).statusCode(400)
                .body("message", equalTo("toTenantId: is the tenant the cards come from"));
        given().contentType(ContentType.JSON).body("{}").post("/internal/service/migrations/cards").then()
                .statusCode(401);
        for (String step : new String[]{"finish", "abort"}) {
            service("/internal/service/migrations/cards/" + step, "{}").statusCode(400)
                    .body("message", startsWith("migrationId: "));
            given().contentType(ContentType.JSON).body("{\"migrationId\":\"" + id + "\"}")
                    .post("/internal/service/migrations/cards/" + step).then().statusCode(401);
        }
    }
}
