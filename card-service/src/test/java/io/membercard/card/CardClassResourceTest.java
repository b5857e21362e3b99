package io.membercard.card;

import static io.membercard.card.Fixtures.createCardClass;
import static io.membercard.card.Fixtures.manager;
import static io.membercard.card.Fixtures.newTenant;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(PaymentServiceStub.class)
class CardClassResourceTest {
    private static final String LIST = "/api/member/membercardclass/getlist";

    private static ValidatableResponse save(String token, String json) {
        return given().header("Authorization", token).contentType(ContentType.JSON).body(json)
                .post("/api/member/membercardclass/save").then();
    }

    @Test
    void managersCreateUpdateAndDisableCardClasses() {
        long tenant = newTenant();
        long id = createCardClass(tenant, "Gold");
        given().header("Authorization", Tokens.cashier(tenant, 1)).get(LIST).then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].id", equalTo((int) id))
                .body("[0].name", equalTo("Gold"))
                .body("[0].cardType", equalTo(1))
                .body("[0].cardTypeName", equalTo("储值卡"))
                .body("[0].canRecharge", equalTo(true))
                .body("[0].canMemberPrice", equalTo(false))
                .body("[0].canPoint", equalTo(true))
                .body("[0].pointsBasic", equalTo(10))
                .body("[0].pointsToOne", equalTo(100))
                .body("[0].pointsValidDays", equalTo(365));

        save(manager(tenant), "{\"id\":" + id + ",\"name\":\"Platinum\",\"cardType\":4,\"canDiscount\":true}")
                .statusCode(200).body("status", equalTo(200)).body("data", equalTo((int) id));
        given().header("Authorization", manager(tenant)).get(LIST).then()
                .body("name", contains("Platinum")).body("[0].cardTypeName", equalTo("综合卡"))
                .body("[0].canPoint", equalTo(false)).body("[0].canDiscount", equalTo(true));

        given().header("Authorization", manager(tenant)).queryParam("id", id)
                .post("/api/member/membercardclass/disable").then().statusCode(200).body("status", equalTo(200));
        given().header("Authorization", manager(tenant)).get(LIST).then().body("$", empty());
    }

    @Test
    void badInputIsRefusedAndNothingIsSaved() {
        long tenant = newTenant();
        String token = manager(tenant);
        save(token, "{\"cardType\":1}").statusCode(400).body("message", equalTo("name: must not be blank"));
        save(token, "{\"name\":\"A\"}").statusCode(400).body("message", equalTo("cardType: must not be null"));
        save(token, "{\"name\":\"A\",\"cardType\":9}").statusCode(400).body("message", startsWith("cardType: "));
        save(token, "{\"name\":\"A\",\"cardType\":\"gold\"}").statusCode(400)
                .body("message", equalTo("cardType: must be a whole number"));
        save(token, "{\"name\":\"A\",\"cardType\":1,\"pointsBasic\":-1}").statusCode(400)
                .body("message", startsWith("pointsBasic: "));
        save(token, "{\"name\":\"A\",\"cardType\":1,\"canPoint\":true}").statusCode(400)
                .body("message", startsWith("pointsBasic: "));
        save(token, "{\"name\":\"" + "x".repeat(33) + "\",\"cardType\":1}").statusCode(400)
                .body("message", startsWith("name: "));
        save(token, "{\"name\":\"A\",\"cardType\":1,").statusCode(400).body("message", startsWith("malformed JSON"));
        save(token, "{\"id\":999999999,\"name\":\"A\",\"cardType\":1}").statusCode(404).body("status", equalTo(404));
        given().header("Authorization", token).queryParam("id", "abc").post("/api/member/membercardclass/disable")
                .then().statusCode(400).body("message", equalTo("id: must be a whole number"));
        given().header("Authorization", token).post("/api/member/membercardclass/disable")
                .then().statusCode(400).body("message", equalTo("id: is required"));
        given().header("Authorization", token).get(LIST).then().body("$", empty());
    }

    @Test
    void onlyManagersChangeTheList() {
        long tenant = newTenant();
        save(Tokens.cashier(tenant, 1), "{\"name\":\"A\",\"cardType\":1}").statusCode(403)
                .body("status", equalTo(403));
        given().contentType(ContentType.JSON).body("{\"name\":\"A\",\"cardType\":1}")
                .post("/api/member/membercardclass/save").then().statusCode(401).body("status", equalTo(401));
        long id = createCardClass(tenant, "Gold");
        given().header("Authorization", Tokens.cashier(tenant, 1)).queryParam("id", id)
                .post("/api/member/membercardclass/disable").then().statusCode(403);
        given().header("Authorization", Tokens.tenant(tenant, "platform-admin").bearer()).get(LIST).then()
                .statusCode(403);
        given().header("Authorization", manager(tenant)).get(LIST).then().body("$", hasSize(1));
    }

    @Test
    void anotherTenantsClassesAreInvisibleAndUntouchable() {
        long a = newTenant();
        long b = newTenant();
        long aClass = createCardClass(a, "Gold");
        given().header("Authorization", manager(b)).get(LIST).then().body("$", empty());
        save(manager(b), "{\"id\":" + aClass + ",\"name\":\"Stolen\",\"cardType\":1}").statusCode(404)
                .body("message", equalTo("card class " + aClass + " not found"));
        given().header("Authorization", manager(b)).queryParam("id", aClass)
                .post("/api/member/membercardclass/disable").then().statusCode(404);
        given().header("Authorization", manager(a)).get(LIST).then().body("name", contains("Gold"));
    }

    @Test
    void listByTenantHonoursTheTenantOnlyForPlatformAdmins() {
        long a = newTenant();
        long b = newTenant();
        createCardClass(a, "Gold");
        String byTenant = "/api/member/membercardclass/getlistbytenant";
        given().header("Authorization", manager(b)).queryParam("tenantId", a).get(byTenant).then()
                .statusCode(200).body("$", empty());
        given().header("Authorization", manager(a)).queryParam("tenantId", a).get(byTenant).then()
                .body("name", contains("Gold"));
        given().header("Authorization", manager(a)).get(byTenant).then().body("name", contains("Gold"));
        given().header("Authorization", Tokens.tenant(b, "platform-admin").bearer()).queryParam("tenantId", a)
                .get(byTenant).then().statusCode(200).body("name", contains("Gold"));
        given().header("Authorization", Tokens.tenant(a).bearer()).get(byTenant).then().statusCode(403);
        given().get(byTenant).then().statusCode(401);
        given().header("Authorization", manager(a)).queryParam("tenantId", "x").get(byTenant).then()
                .statusCode(400).body("message", equalTo("tenantId: must be a whole number"));
    }
}
