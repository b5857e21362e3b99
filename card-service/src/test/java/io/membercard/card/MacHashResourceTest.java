package io.membercard.card;

import static io.membercard.card.Fixtures.cashier;
import static io.membercard.card.Fixtures.manager;
import static io.membercard.card.Fixtures.newTenant;
import static io.membercard.card.Fixtures.writtenCard;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.membercard.card.card.CardSecrets;
import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** The hashes of card secrets member-service keeps an import's 卡密 as (not routed by the gateway). */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(PaymentServiceStub.class)
class MacHashResourceTest {
    private final CardSecrets secrets;
    private final Pool pool;

    MacHashResourceTest(CardSecrets secrets, Pool pool) {
        this.secrets = secrets;
        this.pool = pool;
    }

    private static ValidatableResponse hashes(String token, String body) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (token != null) {
            request.header("Authorization", token);
        }
        return request.post("/internal/cards/mac-hashes").then();
    }

    @Test
    void aManagerGetsTheHashesCardsOfItsTenantKeep() {
        long tenant = newTenant();
        String code = writtenCard(tenant, 3, "H0001", "chip-h1");
        List<List<String>> answer = hashes(manager(tenant), "{\"macs\":[\"chip-h1\",\" chip-h2 \"]}").statusCode(200)
                .body("status", equalTo(200)).extract().jsonPath().getList("data");
        assertThat(answer).hasSize(2);
        String kept = pool.preparedQuery("select mac_hash from card where tenant_id = $1 and code = $2")
                .execute(Tuple.of(tenant, code)).await().indefinitely().iterator().next().getString(0);
        assertThat(answer.get(0)).containsExactly(kept);
        assertThat(answer.get(1)).containsExactly(secrets.hash(tenant, "chip-h2"));
        // The tenant is the token's: another tenant's hash of the same secret is another.
        long other = newTenant();
        List<List<String>> theirs = hashes(Tokens.tenant(other, "admin").bearer(), "{\"macs\":[\"chip-h1\"]}")
                .statusCode(200).extract().jsonPath().getList("data");
        assertThat(theirs.get(0)).containsExactly(secrets.hash(other, "chip-h1")).doesNotContain(kept);
    }

    @Test
    void onlyManagersWithAFewSecretsAreAnswered() {
        long tenant = newTenant();
        hashes(cashier(tenant, 3), "{\"macs\":[\"x\"]}").statusCode(403).body("status", equalTo(403));
        hashes(Tokens.tenant(tenant, "platform-admin").bearer(), "{\"macs\":[\"x\"]}").statusCode(403);
        hashes(null, "{\"macs\":[\"x\"]}").statusCode(401);
        hashes(manager(tenant), "{\"macs\":[]}").statusCode(400).body("message", startsWith("macs"));
        hashes(manager(tenant), "{}").statusCode(400);
        hashes(manager(tenant), "{\"macs\":[\"" + "m".repeat(65) + "\"]}").statusCode(400);
        hashes(manager(tenant), "{\"macs\":[\"" + String.join("\",\"", Collections.nCopies(1001, "m")) + "\"]}")
                .statusCode(400);
    }
}
