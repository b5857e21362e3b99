package io.membercard.payment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServicesStub.class)
class PayCodeTest {
    private static final String KEY = "test-only-service-key";
    private final RedisDataSource redis;
    private final CircuitBreakerMaintenance breakers;

    PayCodeTest(RedisDataSource redis, CircuitBreakerMaintenance breakers) {
        this.redis = redis;
        this.breakers = breakers;
    }

    @BeforeEach
    void cards() {
        Stubs.resetCardService();
        Stubs.unknownCardsByDefault();
        breakers.resetAll();
    }

    private static String issue(Till till, Stubs.Card card) {
        return given().header("X-Service-Key", KEY).contentType(ContentType.JSON)
                .body("{\"tenantId\":" + till.tenant + ",\"cardCode\":\"" + card.code() + "\"}")
                .post("/internal/service/paycodes").then().statusCode(200)
                .body("data.payCode", matchesPattern("[1-9][0-9]{17}")).body("data.expiresIn", equalTo(60))
                .extract().jsonPath().getString("data.payCode");
    }

    private static Response pay(Till till, String code, String order, String money) {
        return given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                .body("{\"payCode\":" + (code == null ? "null" : "\"" + code + "\"") + ",\"orderCode\":\"" + order
                        + "\",\"money\":" + money + ",\"userId\":4,\"userName\":\"legacy\"}")
                .post("/api/member/paycode/pay");
    }

    @Test
    void aPayCodePaysOnceAndTheOrderCanBeQueriedAndRefunded() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(card, "100").then().statusCode(200);
        String code = issue(till, card);
        pay(till, code, "O-1", "25").then().statusCode(200).body("status", equalTo(200))
                .body("data.paymentType", equalTo(2)).body("data.timestamp", equalTo("2"))
                .header("Idempotent-Replayed", nullValue());
        pay(till, code, "O-1", "25").then().statusCode(200).header("Idempotent-Replayed", "true")
                .body("data.timestamp", equalTo("2"));
        pay(till, code, "O-2", "25").then().statusCode(200).body("status", equalTo(606));
        assertThat(till.balance(card)).isEqualByComparingTo("75.00");

        given().header("Authorization", till.cashier).queryParam("orderCode", "O-1").post("/api/member/paycode/query")
                .then().statusCode(200).body("status", equalTo(701)).body("data.paymentType", equalTo(2));
        given().header("Authorization", till.cashier).queryParam("orderCode", "O-9").post("/api/member/paycode/query")
                .then().statusCode(200).body("status", equalTo(703));

        given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                .body("{\"orderCode\":\"O-1\",\"money\":10}").post("/api/member/paycode/refund").then()
                .statusCode(200).body("status", equalTo(200)).body("data.paymentType", equalTo(2));
        given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                .body("{\"orderCode\":\"O-1\",\"money\":15.01}").post("/api/member/paycode/refund").then()
                .body("status", equalTo(803));
        given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                .body("{\"orderCode\":\"O-404\",\"money\":1}").post("/api/member/paycode/refund").then()
                .body("status", equalTo(802));
        assertThat(till.balance(card)).isEqualByComparingTo("85.00");
    }

    @Test
    void expiredUnknownAndOtherTenantsCodesAre606AndMoveNothing() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(card, "100").then().statusCode(200);
        String code = issue(till, card);
        redis.key().pexpire("mctest:paycode:" + code, 1);
        pay(till, code, "O-3", "5").then().body("status", equalTo(606));
        pay(till, "123456789012345678", "O-4", "5").then().body("status", equalTo(606));
        String another = issue(till, card);
        pay(Till.newTenant(), another, "O-5", "5").then().body("status", equalTo(606));
        assertThat(till.balance(card)).isEqualByComparingTo("100.00");
    }

    /** A code pays once: a payment it fails is not charged to it, and a foreign tenant's till cannot spend it. */
    @Test
    void aCodeIsSpentOnlyByThePaymentThatSucceedsWithIt() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(card, "10").then().statusCode(200);
        String code = issue(till, card);
        pay(till, code, "O-LOW", "20").then().body("status", equalTo(605));
        pay(Till.newTenant(), code, "O-FOREIGN", "5").then().body("status", equalTo(606));
        pay(till, code, "O-OK", "5").then().body("status", equalTo(200));
        pay(till, code, "O-AGAIN", "1").then().body("status", equalTo(606));
        assertThat(till.balance(card)).isEqualByComparingTo("5.00");
    }

    /** Eight tills charge one code at once under different orders: one pays. */
    @Test
    void oneCodeShownAtTwoTillsPaysOnce() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(card, "100").then().statusCode(200);
        String code = issue(till, card);
        java.util.List<Integer> statuses = io.membercard.common.testing.Concurrently.run(8,
                i -> pay(till, code, "O-RACE-" + i, "10").then().extract().jsonPath().getInt("status"));
        assertThat(statuses).containsOnlyOnce(200);
        assertThat(statuses).filteredOn(s -> s != 200).containsOnly(606);
        assertThat(till.balance(card)).isEqualByComparingTo("90.00");
    }

    /** S1-25 refunds pay-code payments only; a card payment needs the card (S1-23). A retried refund refunds once. */
    @Test
    void aPayCodeRefundTakesOnlyPayCodePaymentsAndOnce() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(card, "100").then().statusCode(200);
        till.pay(card, "CARD-1", "30").then().body("status", equalTo(200));
        given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                .body("{\"orderCode\":\"CARD-1\",\"money\":30}").post("/api/member/paycode/refund").then()
                .statusCode(200).body("status", equalTo(802));
        assertThat(till.balance(card)).isEqualByComparingTo("70.00");
        pay(till, issue(till, card), "O-PC", "40").then().body("status", equalTo(200));
        for (int i = 0; i < 2; i++) {
            given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                    .body("{\"orderCode\":\"O-PC\",\"money\":15}").post("/api/member/paycode/refund").then()
                    .statusCode(200).body("status", equalTo(200));
        }
        assertThat(till.balance(card)).isEqualByComparingTo("45.00");
    }

    @Test
    void badInputRolesAndServiceKeyAreChecked() {
        Till till = Till.newTenant();
        pay(till, "12", "O-6", "5").then().statusCode(400).body("message", startsWith("payCode: "));
        pay(till, null, "O-6", "5").then().statusCode(400).body("message", equalTo("payCode: is required"));
        pay(till, "123456789012345678", "O 6", "5").then().statusCode(400).body("message", startsWith("orderCode: "));
        pay(till, "123456789012345678", "O-6", "0.001").then().statusCode(400).body("message", startsWith("money: "));
        given().contentType(ContentType.JSON).body("{}").post("/api/member/paycode/pay").then().statusCode(401);
        given().header("Authorization", till.cashier).post("/api/member/paycode/query").then().statusCode(400)
                .body("message", equalTo("orderCode: is required"));
        given().contentType(ContentType.JSON).body("{\"tenantId\":1,\"cardCode\":\"C\"}")
                .post("/internal/service/paycodes").then().statusCode(401);
        given().header("X-Service-Key", KEY).contentType(ContentType.JSON).body("{\"cardCode\":\"C\"}")
                .post("/internal/service/paycodes").then().statusCode(400).body("message", startsWith("tenantId: "));
        Stubs.Card lost = Stubs.card(new Stubs.Card(System.nanoTime() % 1_000_000 + 3_000_000, "LC", "m", 3, true,
                true, 10, 0));
        given().header("X-Service-Key", KEY).contentType(ContentType.JSON)
                .body("{\"tenantId\":" + till.tenant + ",\"cardCode\":\"" + lost.code() + "\"}")
                .post("/internal/service/paycodes").then().statusCode(200).body("status", equalTo(603));
    }
}
