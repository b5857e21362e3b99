package io.membercard.member;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class GiftResourceTest {
    private static final String LIST = "/api/member/gift/getlist";

    private static long tenant() {
        return ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);
    }

    private static ValidatableResponse save(String token, String json) {
        return given().header("Authorization", token).contentType(ContentType.JSON).body(json)
                .post("/api/member/gift/save").then();
    }

    @Test
    void managersKeepTheGiftListAndTillsReadIt() {
        long tenant = tenant();
        String manager = Tokens.manager(tenant);
        long id = save(manager, "{\"name\":\"Mug\",\"points\":120,\"price\":15.5,\"imagePath\":\"/img/mug.png\"}")
                .statusCode(200).body("status", equalTo(200)).extract().jsonPath().getLong("data");
        given().header("Authorization", Tokens.cashier(tenant, 1)).get(LIST).then().statusCode(200)
                .body("name", contains("Mug")).body("[0].points", equalTo(120)).body("[0].price", equalTo(15.5f))
                .body("[0].imagePath", equalTo("/img/mug.png")).body("[0].inUse", equalTo(true))
                .body("[0].id", equalTo((int) id));
        given().header("Authorization", Tokens.cashier(tenant, 1)).get("/internal/gifts/" + id).then()
                .statusCode(200).body("points", equalTo(120));
        save(manager, "{\"id\":" + id + ",\"name\":\"Big mug\",\"points\":150}").statusCode(200);
        given().header("Authorization", manager).queryParam("id", id).post("/api/member/gift/disable").then()
                .statusCode(200);
        given().header("Authorization", manager).get(LIST).then().body("$", empty());
        given().header("Authorization", manager).get("/internal/gifts/" + id).then().statusCode(200)
                .body("inUse", equalTo(false)).body("name", equalTo("Big mug"));
    }

    @Test
    void badInputWrongRoleAndWrongTenantAreRefused() {
        long tenant = tenant();
        String manager = Tokens.manager(tenant);
        save(manager, "{\"points\":1}").statusCode(400).body("message", equalTo("name: must not be blank"));
        save(manager, "{\"name\":\"A\"}").statusCode(400).body("message", equalTo("points: must not be null"));
        save(manager, "{\"name\":\"A\",\"points\":0}").statusCode(400).body("message", startsWith("points: "));
        save(manager, "{\"name\":\"A\",\"points\":\"x\"}").statusCode(400)
                .body("message", equalTo("points: must be a whole number"));
        save(manager, "{\"name\":\"A\",\"points\":1,\"price\":1.001}").statusCode(400)
                .body("message", startsWith("price: "));
        save(manager, "{\"name\":\"A\",").statusCode(400).body("message", startsWith("malformed JSON"));
        save(Tokens.cashier(tenant, 1), "{\"name\":\"A\",\"points\":1}").statusCode(403);
        given().contentType(ContentType.JSON).body("{}").post("/api/member/gift/save").then().statusCode(401);

        long id = save(manager, "{\"name\":\"Pen\",\"points\":10}").statusCode(200).extract().jsonPath()
                .getLong("data");
        String other = Tokens.manager(tenant());
        given().header("Authorization", other).get(LIST).then().body("$", empty());
        given().header("Authorization", other).get("/internal/gifts/" + id).then().statusCode(404);
        save(other, "{\"id\":" + id + ",\"name\":\"Stolen\",\"points\":1}").statusCode(404);
        given().header("Authorization", other).queryParam("id", id).post("/api/member/gift/disable").then()
                .statusCode(404);
        given().header("Authorization", manager).get(LIST).then().body("name", contains("Pen"));
    }
}
