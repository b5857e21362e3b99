package io.membercard.payment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/** Every payment-service endpoint refuses a missing token, the wrong role, bad input and another tenant's data. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServicesStub.class)
class RefusalsTest {
    private final CircuitBreakerMaintenance breakers;

    RefusalsTest(CircuitBreakerMaintenance breakers) {
        this.breakers = breakers;
    }

    @BeforeEach
    void stubs() {
        Stubs.resetCardService();
        Stubs.unknownCardsByDefault();
        breakers.resetAll();
    }

    private static RequestSpecification call(String token, String method, String path, String body) {
        RequestSpecification request = given().contentType(ContentType.JSON).header("Idempotency-Key", Till.serial());
        if (token != null) {
            request.header("Authorization", token);
        }
        if (body != null) {
            request.body(body);
        }
        return request;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "GET|/api/member/rechargeplan/getlist|",
            "POST|/api/member/rechargeplan/save|{\"name\":\"x\",\"payMoney\":1,\"giveMoney\":0}",
            "POST|/api/member/rechargeplan/disable?id=1|",
            "GET|/api/member/recharge/getrefund?cardCode=C|",
            "GET|/api/member/recharge/getrefundoriginal?cardCode=C|",
            "GET|/api/member/cardpay/getcardinfo?cardCode=C&mac=m|",
            "GET|/api/member/cardpay/getcardinfobymac?mac=m|",
            "POST|/api/member/cardpay/pay|{\"cardCode\":\"C\",\"mac\":\"m\",\"money\":1,\"code\":\"B\"}",
            "POST|/api/member/cardpay/refund|{\"cardCode\":\"C\",\"mac\":\"m\",\"money\":1,\"code\":\"B\"}",
            "POST|/api/member/paycode/pay|{\"payCode\":\"123456789012345678\",\"orderCode\":\"O\",\"money\":1}",
            "POST|/api/member/paycode/refund|{\"orderCode\":\"O\",\"money\":1}",
            "POST|/api/member/paycode/query?orderCode=O|",
            "POST|/api/member/recharge/recharge|{\"cardCode\":\"C\",\"mac\":\"m\",\"payMoney\":1,\"details\":[{\"paymentType\":1,\"money\":1}]}",
            "POST|/api/member/recharge/refund|{\"billNo\":\"R\",\"cardCode\":\"C\",\"mac\":\"m\",\"rechargeCode\":\"X\",\"paymentType\":1}",
            "POST|/api/member/recharge/refundoriginal|{\"billNo\":\"R\",\"cardCode\":\"C\",\"mac\":\"m\",\"rechargeCode\":\"X\",\"details\":[{\"recordId\":1,\"money\":1}]}",
            "POST|/api/member/recharge/refundonline|{\"billNo\":\"R\",\"cardCode\":\"C\",\"mac\":\"m\",\"rechargeCode\":\"X\",\"details\":[{\"recordId\":1,\"money\":1}]}",
            "POST|/api/member/points/exchangegift|{\"cardCode\":\"C\",\"mac\":\"m\",\"giftId\":1}",
            "GET|/api/member/cardpay/reconcile|",
            "GET|/internal/accounts/by-card?cardId=1|",
            "GET|/internal/accounts/by-cards?cardIds=1,2|"})
    void noTokenIs401AndAForeignRoleIs403(String method, String path, String body) {
        call(null, method, path, body).request(method, path).then().statusCode(401).body("status", equalTo(401));
        String onlyOtherRole = path.contains("reconcile")
                ? Tokens.cashier(1, 1)
                : Tokens.tenant(1, "platform-admin").bearer();
        call(onlyOtherRole, method, path, body).request(method, path).then().statusCode(403)
                .body("status", equalTo(403));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "GET|/api/member/recharge/getrefund|cardCode: is required",
            "GET|/api/member/recharge/getrefundoriginal|cardCode: is required",
            "GET|/api/member/cardpay/getcardinfo?cardCode=C|mac: is required",
            "GET|/api/member/cardpay/getcardinfobymac|mac: is required",
            "POST|/api/member/cardpay/refund|request body must not be null",
            "POST|/api/member/paycode/refund|request body must not be null",
            "POST|/api/member/recharge/refund|request body must not be null",
            "POST|/api/member/recharge/refundoriginal|request body must not be null",
            "POST|/api/member/recharge/refundonline|request body must not be null",
            "POST|/api/member/points/exchangegift|request body must not be null",
            "POST|/api/member/rechargeplan/disable?id=x|id: must be a whole number",
            "GET|/internal/accounts/by-card?cardId=0|cardId: must be 1 or more",
            "GET|/internal/accounts/by-cards?cardIds=1,x|cardIds: must be a whole number",
            "GET|/internal/accounts/by-cards|cardIds: is required"})
    void badInputNamesTheField(String method, String path, String message) {
        call(Tokens.manager(1), method, path, null).request(method, path).then().statusCode(400)
                .body("status", equalTo(400)).body("message", startsWith(message));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"POST|/internal/service/accounts/replace|{}",
            "POST|/internal/service/accounts/return|{}", "POST|/internal/service/accounts/openings|{}",
            "POST|/internal/service/accounts/migrate|{}", "GET|/internal/service/accounts/page?tenantId=1|",
            "POST|/internal/service/paycodes|{}", "POST|/internal/service/events|[]",
            "PUT|/internal/service/tenants/1/payment-settings|{\"splitOrder\":\"GIVE_FIRST\"}"})
    void serviceEndpointsNeedTheServiceKeyAndNoUserTokenOpensThem(String method, String path, String body) {
        call(null, method, path, body).request(method, path).then().statusCode(401).body("status", equalTo(401));
        call(Tokens.tenant(1, "admin", "platform-admin").bearer(), method, path, body).request(method, path).then()
                .statusCode(401);
        call(null, method, path, body).header("X-Service-Key", "wrong").request(method, path).then().statusCode(401);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/internal/service/accounts/replace|{\"operationId\":\"o\",\"fromCardId\":1,\"fromCardCode\":\"A\",\"toCardId\":2,\"toCardCode\":\"B\"}|actor: must not be null",
            "/internal/service/accounts/return|{\"operationId\":\"o\",\"actor\":{\"tenantId\":1,\"userId\":\"u\"},\"cardId\":1,\"cardCode\":\"A\"}|paymentType: must not be null",
            "/internal/service/accounts/openings|{\"actor\":{\"tenantId\":1,\"userId\":\"u\"},\"items\":[]}|items: must not be empty",
            "/internal/service/accounts/migrate|{\"migrationId\":\"m\",\"fromTenantId\":1,\"toTenantId\":1,\"userId\":\"u\",\"cards\":[]}|toTenantId: is the tenant"})
    void serviceCommandsNameTheBadField(String path, String body, String message) {
        given().header("X-Service-Key", CardAccountTest.SERVICE_KEY).contentType(ContentType.JSON).body(body)
                .post(path).then().statusCode(400).body("message", startsWith(message));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"x|{\"splitOrder\":\"GIVE_FIRST\"}|tenantId: ",
            "1|{\"splitOrder\":\"BONUS_LAST\"}|splitOrder: must be PROPORTIONAL, ACTUAL_FIRST or GIVE_FIRST",
            "1|{}|splitOrder: "})
    void paymentSettingsNameTheBadField(String tenant, String body, String message) {
        given().header("X-Service-Key", CardAccountTest.SERVICE_KEY).contentType(ContentType.JSON).body(body)
                .put("/internal/service/tenants/" + tenant + "/payment-settings").then().statusCode(400)
                .body("status", equalTo(400)).body("message", startsWith(message));
    }

    @Test
    void recordsOfAnotherTenantAreAnsweredLikeNone() {
        Till owner = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        owner.recharge(owner.cashier, "RC-T", card, "{\"cardCode\":\"" + card.code() + "\",\"mac\":\"" + card.mac()
                + "\",\"payMoney\":40,\"details\":[{\"paymentType\":1,\"money\":40}]}").then().statusCode(200);
        owner.pay(card, "B-T", "10").then().statusCode(200);
        Till stranger = Till.newTenant();
        given().header("Authorization", stranger.cashier).queryParam("cardCode", card.code())
                .get("/api/member/recharge/getrefund").then().statusCode(200).body("status", equalTo(802));
        given().header("Authorization", stranger.cashier).contentType(ContentType.JSON)
                .body("{\"billNo\":\"R-T\",\"cardCode\":\"" + card.code() + "\",\"mac\":\"" + card.mac()
                        + "\",\"rechargeCode\":\"RC-T\",\"paymentType\":1}")
                .post("/api/member/recharge/refund").then().body("status", equalTo(802));
        given().header("Authorization", stranger.cashier).queryParam("orderCode", "B-T")
                .post("/api/member/paycode/query").then().body("status", equalTo(703));
        given().header("Authorization", stranger.cashier).contentType(ContentType.JSON)
                .body("{\"orderCode\":\"B-T\",\"money\":1}").post("/api/member/paycode/refund").then()
                .body("status", equalTo(802));
        // The card itself, with its code and secret, at the stranger's till: card-service (which reads the tenant
        // from the forwarded token) knows no such card there, and nothing is written for the stranger.
        Stubs.unknownTo(stranger.cashier, card);
        stranger.recharge(stranger.cashier, "RC-S", card, "{\"cardCode\":\"" + card.code() + "\",\"mac\":\""
                + card.mac() + "\",\"payMoney\":5,\"details\":[{\"paymentType\":1,\"money\":5}]}").then()
                .statusCode(200).body("status", equalTo(602));
        given().header("Authorization", stranger.cashier).queryParam("cardCode", card.code())
                .queryParam("mac", card.mac()).get("/api/member/cardpay/getcardinfo").then().statusCode(200)
                .body("status", equalTo(602));
        given().header("Authorization", stranger.cashier).queryParam("mac", card.mac())
                .get("/api/member/cardpay/getcardinfobymac").then().statusCode(200).body("status", equalTo(602));
        given().header("Authorization", stranger.cashier).header("Idempotency-Key", Till.serial())
                .contentType(ContentType.JSON).body("{\"cardCode\":\"" + card.code() + "\",\"mac\":\"" + card.mac()
                        + "\",\"giftId\":1}")
                .post("/api/member/points/exchangegift").then().statusCode(200)
                .body("status", equalTo(602));
        given().header("Authorization", stranger.cashier).queryParam("cardCode", card.code())
                .get("/api/member/recharge/getrefundoriginal").then().statusCode(200).body("status", equalTo(602));
        given().header("Authorization", stranger.cashier).header("Idempotency-Key", Till.serial())
                .contentType(ContentType.JSON).body("{\"billNo\":\"R-O\",\"cardCode\":\"" + card.code()
                        + "\",\"mac\":\"" + card.mac() + "\",\"rechargeCode\":\"RC-T\",\"details\":[{\"recordId\":1,"
                        + "\"money\":1}]}")
                .post("/api/member/recharge/refundoriginal").then().statusCode(200)
                .body("status", equalTo(602));
        given().header("Authorization", stranger.cashier).queryParam("cardId", card.id())
                .get("/internal/accounts/by-card").then().statusCode(200).body("balance", equalTo(0.0f));
        given().header("Authorization", owner.cashier).queryParam("cardId", card.id())
                .get("/internal/accounts/by-card").then().statusCode(200).body("balance", equalTo(30.0f));
    }
}
