package io.membercard.card;

import static io.membercard.card.Fixtures.cashier;
import static io.membercard.card.Fixtures.createCardClass;
import static io.membercard.card.Fixtures.createOrder;
import static io.membercard.card.Fixtures.manager;
import static io.membercard.card.Fixtures.newTenant;
import static io.membercard.card.Fixtures.writtenCard;
import static io.membercard.card.IssueTest.issue;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** member-service's import issues cards with this service's hashes of their secrets, never the secrets. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(PaymentServiceStub.class)
class IssueByMacHashTest {

    private static String hashes(long tenant, String mac) {
        List<List<String>> answer = given().header("Authorization", manager(tenant)).contentType(ContentType.JSON)
                .body("{\"macs\":[\"" + mac + "\"]}").post("/internal/cards/mac-hashes").then().statusCode(200)
                .extract().jsonPath().getList("data");
        return "[\"" + String.join("\",\"", answer.get(0)) + "\"]";
    }

    @Test
    void cardsAreWrittenBoundAndCheckedByTheHashesOfTheirSecrets() {
        long tenant = newTenant();
        long gold = createCardClass(tenant, "Gold");
        createOrder(tenant, 3, gold, "HH0001", 1);
        String written = writtenCard(tenant, 3, "HW0001", "chip-written");
        String body = "{\"tenantId\":" + tenant + ",\"shopId\":3,\"cardClassId\":" + gold + ",\"userId\":\"1\","
                + "\"items\":["
                + "{\"key\":\"a\",\"memberId\":1,\"cardCode\":\"HH0001\",\"macHashes\":" + hashes(tenant, "chip-a")
                + ",\"sendMode\":1},"
                + "{\"key\":\"b\",\"memberId\":2,\"cardCode\":\"" + written + "\",\"macHashes\":"
                + hashes(tenant, "chip-written") + ",\"sendMode\":1},"
                + "{\"key\":\"c\",\"memberId\":3,\"cardCode\":\"HN0001\",\"create\":true,\"macHashes\":"
                + hashes(tenant, "chip-c") + ",\"sendMode\":1},"
                + "{\"key\":\"d\",\"memberId\":4,\"cardCode\":\"HN0002\",\"create\":true,\"macHashes\":"
                + hashes(tenant, "chip-written") + ",\"sendMode\":1}]}";
        issue(body).statusCode(200).body("data[0].card.status", equalTo(2)).body("data[1].card.memberId", equalTo(2))
                .body("data[2].card.status", equalTo(2)).body("data[3].status", equalTo(400))
                .body("data[3].message", equalTo(io.membercard.card.card.CardService.macRefused().getMessage()));
        // The cards answer to their secrets, as if they had been sent themselves.
        for (String mac : List.of("chip-a", "chip-c")) {
            given().header("Authorization", cashier(tenant, 3)).queryParam("mac", mac)
                    .get("/internal/cards/check-by-mac").then().body("status", equalTo(200));
        }
        // A written card is bound only with the hash of its own secret.
        String other = writtenCard(tenant, 3, "HW0002", "chip-other");
        // (User 1 wrote a secret another card has just now, and is locked out of card secrets: user 2 asks.)
        issue("{\"tenantId\":" + tenant + ",\"shopId\":3,\"userId\":\"2\",\"items\":[{\"key\":\"e\",\"memberId\":5,"
                + "\"cardCode\":\"" + other + "\",\"macHashes\":" + hashes(tenant, "chip-wrong") + ",\"sendMode\":1}]}")
                .statusCode(200).body("data[0].status", equalTo(602));
        issue("{\"tenantId\":" + tenant + ",\"shopId\":3,\"userId\":\"1\",\"items\":[{\"key\":\"f\",\"memberId\":6,"
                + "\"cardCode\":\"" + other + "\",\"macHashes\":[\"not-a-hash\"],\"sendMode\":1}]}")
                .statusCode(400).body("message", startsWith("items[0].macHashes"));
    }
}
