package io.membercard.card;

import static io.membercard.card.Fixtures.cashier;
import static io.membercard.card.Fixtures.newTenant;
import static io.membercard.card.Fixtures.writtenCard;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The card checks other services ask for (not routed by the gateway). */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(PaymentServiceStub.class)
class InternalCardResourceTest {

    @Test
    void aCardIsVouchedForByCodeAndMacByMacAloneAndByCode() {
        long tenant = newTenant();
        String code = writtenCard(tenant, 3, "I0001", "chip-1");
        String token = cashier(tenant, 3);
        given().header("Authorization", token).queryParam("cardCode", code).queryParam("mac", "chip-1")
                .get("/internal/cards/check").then().statusCode(200).body("status", equalTo(200))
                .body("data.code", equalTo(code)).body("data.status", equalTo(2))
                .body("data.cardClassName", equalTo("Gold")).body("data.canRecharge", equalTo(true))
                .body("data.canPoint", equalTo(true)).body("data.pointsBasic", equalTo(10))
                .body("data.pointsValidDays", equalTo(365)).body("data.shopId", equalTo(3));
        given().header("Authorization", token).queryParam("mac", "chip-1").get("/internal/cards/check-by-mac")
                .then().body("data.code", equalTo(code));
        given().header("Authorization", token).queryParam("cardCode", code).get("/internal/cards/by-code")
                .then().body("data.code", equalTo(code));
    }

    @Test
    void wrongSecretsOtherTenantsAndUnknownCardsAre602() {
        long tenant = newTenant();
        String code = writtenCard(tenant, 3, "J0001", "chip-2");
        given().header("Authorization", cashier(tenant, 3)).queryParam("cardCode", code).queryParam("mac", "chip-x")
                .get("/internal/cards/check").then().statusCode(200).body("status", equalTo(602));
        given().header("Authorization", cashier(tenant, 3)).queryParam("mac", "chip-x")
                .get("/internal/cards/check-by-mac").then().body("status", equalTo(602));
        long other = newTenant();
        given().header("Authorization", cashier(other, 3)).queryParam("mac", "chip-2")
                .get("/internal/cards/check-by-mac").then().body("status", equalTo(602));
        given().header("Authorization", cashier(other, 3)).queryParam("cardCode", code)
                .get("/internal/cards/by-code").then().body("status", equalTo(602));
        given().header("Authorization", cashier(tenant, 3)).get("/internal/cards/by-code").then()
                .statusCode(400).body("message", equalTo("cardCode: is required"));
        given().queryParam("cardCode", code).get("/internal/cards/by-code").then().statusCode(401);
        given().header("Authorization", Tokens.tenant(tenant, "platform-admin").bearer()).queryParam("cardCode", code)
                .get("/internal/cards/by-code").then().statusCode(403);
    }

    @Test
    void serviceCallsNeedTheServiceKeyAndNameTheTenant() {
        long tenant = newTenant();
        String code = writtenCard(tenant, 3, "K0001", "chip-3");
        given().header("X-Service-Key", "test-only-service-key").queryParam("tenantId", tenant)
                .queryParam("cardCode", code).get("/internal/service/cards/by-code").then().statusCode(200)
                .body("data.code", equalTo(code));
        given().header("X-Service-Key", "test-only-service-key").queryParam("tenantId", tenant + 1)
                .queryParam("cardCode", code).get("/internal/service/cards/by-code").then()
                .body("status", equalTo(602));
        given().header("X-Service-Key", "wrong").queryParam("tenantId", tenant).queryParam("cardCode", code)
                .get("/internal/service/cards/by-code").then().statusCode(401).body("status", equalTo(401));
        given().queryParam("tenantId", tenant).queryParam("cardCode", code).get("/internal/service/cards/by-code")
                .then().statusCode(401);
        given().header("X-Service-Key", "test-only-service-key").queryParam("cardCode", code)
                .get("/internal/service/cards/by-code").then().statusCode(400)
                .body("message", equalTo("tenantId: is required"));
    }

    /** The checks payment-service asks for: bad input names the field, another tenant's card is 602, roles hold. */
    @Test
    void theChecksRefuseBadInputOtherTenantsAndOtherRoles() {
        long tenant = newTenant();
        String code = writtenCard(tenant, 3, "N0001", "chip-4");
        String token = cashier(tenant, 3);
        given().header("Authorization", token).queryParam("mac", "chip-4").get("/internal/cards/check").then()
                .statusCode(400).body("status", equalTo(400)).body("message", equalTo("cardCode: is required"));
        given().header("Authorization", token).queryParam("cardCode", code).get("/internal/cards/check").then()
                .statusCode(400).body("message", equalTo("mac: is required"));
        given().header("Authorization", token).queryParam("cardCode", code).queryParam("mac", "m".repeat(65))
                .get("/internal/cards/check").then().statusCode(400).body("message", startsWith("mac: "));
        given().header("Authorization", token).get("/internal/cards/check-by-mac").then().statusCode(400)
                .body("message", equalTo("mac: is required"));
        // Another tenant's cashier with this card's code and its right secret: no such card there.
        long other = newTenant();
        given().header("Authorization", cashier(other, 3)).queryParam("cardCode", code).queryParam("mac", "chip-4")
                .get("/internal/cards/check").then().statusCode(200).body("status", equalTo(602));
        // Roles: no token 401; a platform admin (no tenant's till) 403, on each check.
        given().queryParam("cardCode", code).queryParam("mac", "chip-4").get("/internal/cards/check").then()
                .statusCode(401);
        String platform = Tokens.tenant(tenant, "platform-admin").bearer();
        given().header("Authorization", platform).queryParam("cardCode", code).queryParam("mac", "chip-4")
                .get("/internal/cards/check").then().statusCode(403);
        given().header("Authorization", platform).queryParam("mac", "chip-4").get("/internal/cards/check-by-mac")
                .then().statusCode(403);
        // The right card still answers its own tenant's till.
        given().header("Authorization", token).queryParam("cardCode", code).queryParam("mac", "chip-4")
                .get("/internal/cards/check").then().body("status", equalTo(200)).body("data.code", equalTo(code));
    }

    @Test
    void theCardOfAMemberNeedsTheServiceKeyAndNamesTheBadField() {
        String key = "test-only-service-key";
        given().header("X-Service-Key", key).queryParam("memberId", 1).get("/internal/service/cards/by-member")
                .then().statusCode(400).body("message", equalTo("tenantId: is required"));
        given().header("X-Service-Key", key).queryParam("tenantId", 1).queryParam("memberId", "x")
                .get("/internal/service/cards/by-member").then().statusCode(400)
                .body("message", startsWith("memberId: "));
        given().header("X-Service-Key", key).queryParam("tenantId", newTenant()).queryParam("memberId", 1)
                .get("/internal/service/cards/by-member").then().statusCode(404);
        given().queryParam("tenantId", 1).queryParam("memberId", 1).get("/internal/service/cards/by-member").then()
                .statusCode(401);
    }
}
