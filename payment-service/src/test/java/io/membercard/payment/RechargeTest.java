package io.membercard.payment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServicesStub.class)
class RechargeTest {
    private final Pool pool;
    private final CircuitBreakerMaintenance breakers;

    RechargeTest(Pool pool, CircuitBreakerMaintenance breakers) {
        this.pool = pool;
        this.breakers = breakers;
    }

    @BeforeEach
    void cards() {
        Stubs.resetCardService();
        Stubs.unknownCardsByDefault();
        breakers.resetAll();
    }

    private Row account(Till till, Stubs.Card card) {
        var rows = pool.preparedQuery("select * from account where tenant_id = $1 and card_id = $2")
                .execute(Tuple.of(till.tenant, card.id())).await().indefinitely();
        return rows.iterator().hasNext() ? rows.iterator().next() : null;
    }

    private static String body(Stubs.Card card, String rest) {
        return "{\"cardCode\":\"" + card.code() + "\",\"mac\":\"" + card.mac() + "\"," + rest + "}";
    }

    private static long plan(Till till, String json) {
        return given().header("Authorization", till.manager).contentType(ContentType.JSON).body(json)
                .post("/api/member/rechargeplan/save").then().statusCode(200).extract().jsonPath().getLong("data");
    }

    @Test
    void aPlanFixesTheBonus() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        long plan = plan(till, "{\"name\":\"100+20\",\"payMoney\":100,\"giveMoney\":20}");
        given().header("Authorization", till.cashier).get("/api/member/rechargeplan/getlist").then().statusCode(200)
                .body("name", contains("100+20")).body("[0].money", equalTo(100.0f))
                .body("[0].payMoney", equalTo(100.0f)).body("[0].giveMoney", equalTo(20.0f))
                .body("[0].inUse", equalTo(true)).body("[0].moneyModifiable", equalTo(false));
        till.recharge(till.cashier, "RC-1", card, body(card, "\"planId\":" + plan + ",\"payMoney\":100,"
                + "\"details\":[{\"paymentType\":1,\"money\":60},{\"paymentType\":3,\"money\":40}]"))
                .then().statusCode(200).body("status", equalTo(200));
        Row account = account(till, card);
        assertThat(account.getBigDecimal("actual_balance")).isEqualByComparingTo("100");
        assertThat(account.getBigDecimal("give_balance")).isEqualByComparingTo("20");
        assertThat(account.getBigDecimal("give_recharge")).isEqualByComparingTo("20");
        till.recharge(till.cashier, "RC-2", card, body(card, "\"planId\":" + plan + ",\"payMoney\":100,"
                + "\"giveMoney\":50,\"details\":[{\"paymentType\":1,\"money\":100}]"))
                .then().statusCode(400).body("message", equalTo("giveMoney: plan 100+20 gives 20.00"));
        till.recharge(till.cashier, "RC-3", card, body(card, "\"planId\":" + plan + ",\"payMoney\":90,"
                + "\"details\":[{\"paymentType\":1,\"money\":90}]"))
                .then().statusCode(400).body("message", equalTo("payMoney: plan 100+20 takes 100.00"));
        given().header("Authorization", till.manager).queryParam("id", plan).post("/api/member/rechargeplan/disable")
                .then().statusCode(200);
        till.recharge(till.cashier, "RC-4", card, body(card, "\"planId\":" + plan + ",\"payMoney\":100,"
                + "\"details\":[{\"paymentType\":1,\"money\":100}]"))
                .then().statusCode(400).body("message", startsWith("planId: "));
        given().header("Authorization", till.cashier).get("/api/member/rechargeplan/getlist").then().body("$", empty());
    }

    @Test
    void withoutAPlanOnlyAManagerGivesABonus() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        String withBonus = body(card, "\"payMoney\":50,\"giveMoney\":5,\"details\":[{\"paymentType\":1,\"money\":50}]");
        till.recharge(till.cashier, "RC-5", card, withBonus).then().statusCode(403).body("status", equalTo(403));
        assertThat(account(till, card)).isNull();
        till.recharge(till.manager, "RC-6", card, withBonus).then().statusCode(200);
        assertThat(account(till, card).getBigDecimal("give_balance")).isEqualByComparingTo("5");
    }

    @Test
    void detailsMustAddUpAndTheSerialIsRequiredAndIdempotent() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(till.cashier, "RC-7", card, body(card, "\"payMoney\":50,\"details\":[{\"paymentType\":1,"
                + "\"money\":40}]")).then().statusCode(400)
                .body("message", equalTo("details: add up to 40.00 but payMoney is 50.00"));
        till.recharge(till.cashier, "RC-7", card, body(card, "\"payMoney\":50,\"details\":[{\"paymentType\":2,"
                + "\"money\":50}]")).then().statusCode(400).body("message", startsWith("details[0].paymentType: "));
        till.recharge(till.cashier, "RC-7", card, body(card, "\"payMoney\":50,\"details\":[]")).then()
                .statusCode(400).body("message", startsWith("details: "));
        till.recharge(till.cashier, "RC-7", card, body(card, "\"payMoney\":50,\"money\":60,\"details\":[{"
                + "\"paymentType\":1,\"money\":50}]")).then().statusCode(400)
                .body("message", equalTo("money: must be payMoney (50.00)"));
        given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                .body(body(card, "\"payMoney\":50,\"details\":[{\"paymentType\":1,\"money\":50}]"))
                .post("/api/member/recharge/recharge").then().statusCode(400)
                .body("message", equalTo("Idempotency-Key: is required"));
        String ok = body(card, "\"payMoney\":50,\"details\":[{\"paymentType\":1,\"money\":50}]");
        till.recharge(till.cashier, "RC-8", card, ok).then().statusCode(200).header("Idempotent-Replayed", nullValue());
        till.recharge(till.cashier, "RC-8", card, ok).then().statusCode(200).header("Idempotent-Replayed", "true");
        till.recharge(till.cashier, "RC-8", card, ok.replace("50", "51")).then().body("status", equalTo(801));
        assertThat(account(till, card).getBigDecimal("actual_balance")).isEqualByComparingTo("50");
        Stubs.Card noRecharge = Stubs.card(new Stubs.Card(card.id() + 800_000, "N" + card.id(), "m", 2, false, true,
                10, 0));
        till.recharge(till.cashier, "RC-9", noRecharge, body(noRecharge, "\"payMoney\":50,\"details\":[{"
                + "\"paymentType\":1,\"money\":50}]")).then().body("status", equalTo(601));
    }

    private ValidatableResponse quote(Till till, Stubs.Card card, String path) {
        return given().header("Authorization", till.cashier).queryParam("cardCode", card.code())
                .get("/api/member/recharge/" + path).then().statusCode(200);
    }

    @Test
    void aRechargeRefundClawsBackTheBonusAndDeductsBonusAlreadySpent() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        given().header("Authorization", Tokens.tenant(till.tenant, "admin").bearer()).contentType(ContentType.JSON)
                .body("{\"splitOrder\":\"GIVE_FIRST\"}").header("X-Service-Key", "test-only-service-key")
                .put("/internal/service/tenants/" + till.tenant + "/payment-settings").then().statusCode(200);
        till.recharge(till.manager, "RC-10", card, body(card, "\"payMoney\":100,\"giveMoney\":20,\"details\":[{"
                + "\"paymentType\":3,\"money\":100}]")).then().statusCode(200);
        // Bonus first: the 30 spent are the 20 of bonus and 10 of the 100 paid in. Undone, the recharge pays back
        // 70: the customer paid 100 and took 30 of goods.
        till.pay(card, "P-1", "30").then().statusCode(200);
        quote(till, card, "getrefund").body("rechargeCode", equalTo("RC-10")).body("payMoney", equalTo(70.0f))
                .body("giveMoney", equalTo(20.0f)).body("money", equalTo(90.0f)).body("paymentType", equalTo(3))
                .body("mac", equalTo(""));
        given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                .body(body(card, "\"billNo\":\"RF-1\",\"rechargeCode\":\"RC-10\",\"paymentType\":3,\"payMoney\":80"))
                .post("/api/member/recharge/refund").then().body("status", equalTo(803));
        given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                .body(body(card, "\"billNo\":\"RF-1\",\"rechargeCode\":\"RC-10\",\"paymentType\":3,\"payMoney\":60"))
                .post("/api/member/recharge/refund").then().statusCode(400).body("message", startsWith("payMoney: "));
        given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                .body(body(card, "\"billNo\":\"RF-1\",\"rechargeCode\":\"RC-10\",\"paymentType\":3,\"payMoney\":70"))
                .post("/api/member/recharge/refund").then().statusCode(200).body("status", equalTo(200));
        Row account = account(till, card);
        assertThat(account.getBigDecimal("actual_balance")).isEqualByComparingTo("0");
        assertThat(account.getBigDecimal("give_balance")).isEqualByComparingTo("0");
        assertThat(account.getBigDecimal("actual_recharge")).isEqualByComparingTo("30");
        assertThat(account.getBigDecimal("give_recharge")).isEqualByComparingTo("0");
        assertThat(account.getBigDecimal("actual_expense")).isEqualByComparingTo("30");
        assertThat(account.getBigDecimal("give_expense")).isEqualByComparingTo("0");
        given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                .body(body(card, "\"billNo\":\"RF-2\",\"rechargeCode\":\"RC-10\",\"paymentType\":1"))
                .post("/api/member/recharge/refund").then().body("status", equalTo(803));
        given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                .body(body(card, "\"billNo\":\"RF-3\",\"rechargeCode\":\"NOPE\",\"paymentType\":1"))
                .post("/api/member/recharge/refund").then().body("status", equalTo(802));
    }

    @Test
    void theOriginalRouteNeverPaysMoreBackToATypeThanCameInByIt() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(till.manager, "RC-11", card, body(card, "\"payMoney\":100,\"giveMoney\":10,\"details\":[{"
                + "\"paymentType\":1,\"money\":30},{\"paymentType\":4,\"money\":70}]")).then().statusCode(200);
        ValidatableResponse quote = quote(till, card, "getrefundoriginal").body("refundMoney", equalTo(100.0f))
                .body("giveMoney", equalTo(10.0f)).body("details", hasSize(2))
                .body("details[0].paymentType", equalTo(1)).body("details[0].paymentTypeName", equalTo("现金"))
                .body("details[0].money", equalTo(30.0f)).body("details[1].paymentType", equalTo(4))
                .body("details[1].money", equalTo(70.0f));
        long cash = quote.extract().jsonPath().getLong("details[0].recordId");
        long alipay = quote.extract().jsonPath().getLong("details[1].recordId");
        String refund = "/api/member/recharge/refundoriginal";
        given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                .body(body(card, "\"billNo\":\"RF-4\",\"rechargeCode\":\"RC-11\",\"details\":[{\"recordId\":" + cash
                        + ",\"money\":40},{\"recordId\":" + alipay + ",\"money\":60}]"))
                .post(refund).then().statusCode(200).body("status", equalTo(803));
        given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                .body(body(card, "\"billNo\":\"RF-4\",\"rechargeCode\":\"RC-11\",\"details\":[{\"recordId\":" + cash
                        + ",\"money\":30},{\"recordId\":" + alipay + ",\"money\":60}]"))
                .post(refund).then().statusCode(400)
                .body("message", equalTo("details: add up to 90.00 but the refund of recharge RC-11 pays back 100.00"));
        given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                .body(body(card, "\"billNo\":\"RF-4\",\"rechargeCode\":\"RC-11\",\"details\":[{\"recordId\":" + cash
                        + ",\"money\":30},{\"recordId\":" + alipay + ",\"money\":70}]"))
                .post(refund).then().statusCode(200).body("status", equalTo(200));
        Row account = account(till, card);
        assertThat(account.getBigDecimal("actual_balance")).isEqualByComparingTo("0");
        assertThat(account.getBigDecimal("give_balance")).isEqualByComparingTo("0");
        long paidBack = pool.preparedQuery("select count(*) from refund_payment where tenant_id = $1 and money > 0")
                .execute(Tuple.of(till.tenant)).await().indefinitely().iterator().next().getLong(0);
        assertThat(paidBack).isEqualTo(2);
    }

    /** The contract's reading: pay payMoney, get money (= payMoney) + giveMoney; the sum is understood too. */
    @Test
    void aRechargeFollowsTheContractsReadingOfMoney() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        long plan = plan(till, "{\"name\":\"100+20\",\"money\":100,\"payMoney\":100,\"giveMoney\":20}");
        given().header("Authorization", till.cashier).get("/api/member/rechargeplan/getlist").then().statusCode(200)
                .body("[0].money", equalTo(100.0f)).body("[0].payMoney", equalTo(100.0f))
                .body("[0].giveMoney", equalTo(20.0f));
        till.recharge(till.cashier, "RC-CT1", card, body(card, "\"planId\":" + plan + ",\"money\":100,"
                + "\"payMoney\":100,\"giveMoney\":20,\"details\":[{\"paymentType\":1,\"money\":100}]"))
                .then().statusCode(200).body("status", equalTo(200));
        till.recharge(till.cashier, "RC-CT2", card, body(card, "\"planId\":" + plan + ",\"money\":120,"
                + "\"payMoney\":100,\"giveMoney\":20,\"details\":[{\"paymentType\":1,\"money\":100}]"))
                .then().statusCode(200).body("status", equalTo(200));
        till.recharge(till.cashier, "RC-CT3", card, body(card, "\"planId\":" + plan + ",\"money\":110,"
                + "\"payMoney\":100,\"details\":[{\"paymentType\":1,\"money\":100}]"))
                .then().statusCode(400).body("message", startsWith("money: "));
        Row account = account(till, card);
        assertThat(account.getBigDecimal("actual_balance")).isEqualByComparingTo("200");
        assertThat(account.getBigDecimal("give_balance")).isEqualByComparingTo("40");
        // The plan is edited: a replay still answers the first result, not 400 or 801.
        given().header("Authorization", till.manager).contentType(ContentType.JSON)
                .body("{\"id\":" + plan + ",\"name\":\"100+30\",\"payMoney\":100,\"giveMoney\":30}")
                .post("/api/member/rechargeplan/save").then().statusCode(200);
        till.recharge(till.cashier, "RC-CT1", card, body(card, "\"planId\":" + plan + ",\"money\":100,"
                + "\"payMoney\":100,\"giveMoney\":20,\"details\":[{\"paymentType\":1,\"money\":100}]"))
                .then().statusCode(200).body("status", equalTo(200)).header("Idempotent-Replayed", "true");
    }

    /**
     * A payment refund never brings back the bonus of a refunded recharge: plan 100+100, 50 paid from the bonus,
     * the recharge refunded (50 paid back, the 50 of bonus spent charged to the money paid in), then the payment
     * refunded: the 50 comes back as the customer's own money, not as bonus.
     */
    @Test
    void aPaymentRefundNeverUndoesARechargeRefundsClawback() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        given().header("Authorization", Tokens.tenant(till.tenant, "admin").bearer()).contentType(ContentType.JSON)
                .body("{\"splitOrder\":\"GIVE_FIRST\"}").header("X-Service-Key", "test-only-service-key")
                .put("/internal/service/tenants/" + till.tenant + "/payment-settings").then().statusCode(200);
        long plan = plan(till, "{\"name\":\"100+100\",\"payMoney\":100,\"giveMoney\":100}");
        till.recharge(till.cashier, "RC-CB", card, body(card, "\"planId\":" + plan + ",\"payMoney\":100,"
                + "\"details\":[{\"paymentType\":1,\"money\":100}]")).then().statusCode(200);
        till.pay(card, "P-CB", "50").then().body("status", equalTo(200));
        given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                .body(body(card, "\"billNo\":\"RF-CB\",\"rechargeCode\":\"RC-CB\",\"paymentType\":1"))
                .post("/api/member/recharge/refund").then().statusCode(200).body("status", equalTo(200));
        till.refund(card, "P-CB", "50", null).then().statusCode(200).body("status", equalTo(200));
        Row account = account(till, card);
        assertThat(account.getBigDecimal("give_balance")).isEqualByComparingTo("0");
        assertThat(account.getBigDecimal("actual_balance")).isEqualByComparingTo("50");
        assertThat(account.getBigDecimal("give_expense")).isEqualByComparingTo("0");
        assertThat(account.getBigDecimal("actual_expense")).isEqualByComparingTo("0");
    }

    /** S1-30 pays back by the type the money came in by, never more than came in by it. */
    @Test
    void aRechargeIsPaidBackOnlyByATypeItCameInBy() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(till.cashier, "RC-WX", card, body(card, "\"payMoney\":50,\"details\":[{\"paymentType\":3,"
                + "\"money\":50}]")).then().statusCode(200);
        given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                .body(body(card, "\"billNo\":\"RF-WX1\",\"rechargeCode\":\"RC-WX\",\"paymentType\":1"))
                .post("/api/member/recharge/refund").then().statusCode(200).body("status", equalTo(803));
        assertThat(account(till, card).getBigDecimal("actual_balance")).isEqualByComparingTo("50");
        given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                .body(body(card, "\"billNo\":\"RF-WX2\",\"rechargeCode\":\"RC-WX\",\"paymentType\":3"))
                .post("/api/member/recharge/refund").then().statusCode(200).body("status", equalTo(200));
        assertThat(account(till, card).getBigDecimal("actual_balance")).isEqualByComparingTo("0");
    }

    @Test
    void plansAreCheckedAndKeptByManagers() {
        Till till = Till.newTenant();
        String save = "/api/member/rechargeplan/save";
        given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"payMoney\":1,\"giveMoney\":0}").post(save).then().statusCode(403);
        given().header("Authorization", till.manager).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"payMoney\":100,\"giveMoney\":10,\"money\":105}").post(save).then()
                .statusCode(400)
                .body("message", equalTo("money: must be payMoney (100.00), or payMoney + giveMoney (110.00)"));
        given().header("Authorization", till.manager).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"payMoney\":0,\"giveMoney\":10}").post(save).then().statusCode(400)
                .body("message", equalTo("payMoney: must be more than 0"));
        given().header("Authorization", till.manager).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"payMoney\":1,\"giveMoney\":0,\"startTime\":\"2026-01-02 00:00:00\","
                        + "\"endTime\":\"2026-01-01 00:00:00\"}")
                .post(save).then().statusCode(400).body("message", equalTo("endTime: must be after startTime"));
        // A date beyond the four-digit years of the format is refused naming the field; until further notice reads.
        given().header("Authorization", till.manager).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"payMoney\":1,\"giveMoney\":0,\"endTime\":\"+999999999-12-31 23:59:59\"}")
                .post(save).then().statusCode(400)
                .body("message", equalTo("endTime: must be a date from 0001-01-01 to 9999-12-31"));
        plan(till, "{\"name\":\"forever\",\"payMoney\":1,\"giveMoney\":0,\"endTime\":\"9999-12-31 23:59:59\"}");
        long plan = plan(till, "{\"name\":\"ok\",\"payMoney\":1,\"giveMoney\":0}");
        Till other = Till.newTenant();
        given().header("Authorization", other.manager).contentType(ContentType.JSON)
                .body("{\"id\":" + plan + ",\"name\":\"stolen\",\"payMoney\":1,\"giveMoney\":0}").post(save).then()
                .statusCode(404);
        given().header("Authorization", other.manager).queryParam("id", plan).post("/api/member/rechargeplan/disable")
                .then().statusCode(404);
        given().header("Authorization", other.cashier).get("/api/member/rechargeplan/getlist").then().body("$",
                empty());
    }
}
