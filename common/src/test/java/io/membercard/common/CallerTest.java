package io.membercard.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class CallerTest {

    @Test
    void tenantShopAndUserComeFromTheToken() {
        given().header("Authorization", Tokens.tenant(42, "cashier").shop(9).user("u-1", "Li Lei").bearer())
                .get("/probe/whoami").then().statusCode(200)
                .body("tenantId", equalTo(42)).body("shopId", equalTo(9))
                .body("userId", equalTo("u-1")).body("userName", equalTo("Li Lei"))
                .body("manager", equalTo(false));
    }

    @Test
    void aTokenWithoutTenantIsRefused() {
        given().header("Authorization", Tokens.noTenant("cashier").shop(1).bearer())
                .get("/probe/whoami").then().statusCode(403).body("status", equalTo(403))
                .body("message", equalTo("the token carries no tenant_id"));
    }

    @Test
    void cashiersActOnlyForTheirShop() {
        String cashier = Tokens.cashier(1, 5);
        given().header("Authorization", cashier).get("/probe/shop").then().statusCode(200).body(equalTo("5"));
        given().header("Authorization", cashier).queryParam("shopId", 5).get("/probe/shop").then().statusCode(200);
        given().header("Authorization", cashier).queryParam("shopId", 6).get("/probe/shop").then().statusCode(403);
        given().header("Authorization", Tokens.tenant(1, "cashier").bearer()).get("/probe/shop").then()
                .statusCode(403);
    }

    @Test
    void aCashierWithoutAShopIsRefusedEverywhere() {
        String shopless = Tokens.tenant(1, "cashier").user("u-2", "Han Meimei").bearer();
        given().header("Authorization", shopless).get("/probe/whoami").then().statusCode(403)
                .body("status", equalTo(403)).body("message", equalTo("a cashier's token must carry shop_id"));
        given().header("Authorization", shopless).get("/probe/shop").then().statusCode(403)
                .body("message", equalTo("a cashier's token must carry shop_id"));
        // A manager needs no shop; a manager who is also a cashier neither.
        given().header("Authorization", Tokens.tenant(1, "cashier", "manager").bearer()).get("/probe/whoami")
                .then().statusCode(200);
    }

    @Test
    void managersActForAnyShopOrAll() {
        String manager = Tokens.manager(1);
        given().header("Authorization", manager).queryParam("shopId", 6).get("/probe/shop").then()
                .statusCode(200).body(equalTo("6"));
        given().header("Authorization", manager).get("/probe/whoami").then().statusCode(200)
                .body("manager", equalTo(true)).body("shopId", nullValue());
    }
}
