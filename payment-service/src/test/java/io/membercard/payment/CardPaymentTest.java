package io.membercard.payment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.math.BigDecimal;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServicesStub.class)
class CardPaymentTest {
    private final Pool pool;
    private final CircuitBreakerMaintenance breakers;

    CardPaymentTest(Pool pool, CircuitBreakerMaintenance breakers) {
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

    private long entries(Till till) {
        return pool.preparedQuery("select count(*) from ledger_entry where tenant_id = $1")
                .execute(Tuple.of(till.tenant)).await().indefinitely().iterator().next().getLong(0);
    }

    /**
     * card-service counts every card secret it evaluates against the card and the till: a check that timed out is
     * not sent again, so one wrong secret never counts three times (issue 9).
     */
    @Test
    void aCardSecretIsSentToCardServiceOnceEvenWhenItFails() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        var wm = Stubs.wiremock();
        wm.register(com.github.tomakehurst.wiremock.client.WireMock.get(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/internal/cards/check"))
                .atPriority(0).withQueryParam("cardCode", com.github.tomakehurst.wiremock.client.WireMock.equalTo(
                        card.code()))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(503)));
        till.pay(card, "B-once", "1").then().body("status", org.hamcrest.Matchers.not(equalTo(200)));
        assertThat(wm.find(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/internal/cards/check"))
                .withQueryParam("cardCode", com.github.tomakehurst.wiremock.client.WireMock.equalTo(card.code()))))
                .hasSize(1);
    }

    @Test
    void payThenRefundPartlyMovesTheBalanceAndPoints() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(card, "100").then().statusCode(200).body("status", equalTo(200));
        assertThat(till.balance(card)).isEqualByComparingTo("100.00");

        till.pay(card, "B1", "35.5").then().statusCode(200).body("status", equalTo(200))
                .body("data.cardCode", equalTo(card.code())).body("data.balance", equalTo(64.50f))
                .body("data.canMemberPrice", equalTo(true));
        Row afterPay = account(till, card);
        assertThat(afterPay.getBigDecimal("actual_expense")).isEqualByComparingTo("35.50");
        assertThat(afterPay.getLong("total_points")).isEqualTo(3);

        till.refund(card, "B1", "10", null).then().statusCode(200).body("data.balance", equalTo(74.50f));
        Row afterRefund = account(till, card);
        assertThat(afterRefund.getBigDecimal("actual_expense")).isEqualByComparingTo("25.50");
        assertThat(afterRefund.getLong("total_points")).isEqualTo(2);

        till.refund(card, "B1", "25.51", null).then().statusCode(200).body("status", equalTo(803));
        till.refund(card, "B1", "25.5", null).then().statusCode(200).body("data.balance", equalTo(100.00f));
        assertThat(account(till, card).getLong("total_points")).isZero();
        till.refund(card, "B1", "0.01", null).then().body("status", equalTo(803));
        till.refund(card, "NOPE", "1", null).then().statusCode(200).body("status", equalTo(802));
    }

    @Test
    void aLowBalanceIs605AndChangesNothing() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(card, "10").then().statusCode(200);
        long before = entries(till);
        till.pay(card, "B2", "10.01").then().statusCode(200).body("status", equalTo(605))
                .body("message", equalTo("balance 10.00 is less than 10.01"));
        assertThat(entries(till)).isEqualTo(before);
        till.pay(card, "B2", "10").then().statusCode(200).body("data.balance", equalTo(0.0f));
    }

    @Test
    void aReplayReturnsTheFirstResultAndAnotherBodyIs801() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(card, "50").then().statusCode(200);
        till.pay(card, "B3", "20").then().statusCode(200).header("Idempotent-Replayed", nullValue())
                .body("data.balance", equalTo(30.0f));
        till.pay(card, "B3", "20").then().statusCode(200).header("Idempotent-Replayed", "true")
                .body("data.balance", equalTo(30.0f));
        till.pay(card, "B3", "21").then().statusCode(200).body("status", equalTo(801));
        assertThat(till.balance(card)).isEqualByComparingTo("30.00");
    }

    private static io.restassured.response.Response refundWithId(Till till, Stubs.Card card, String bill,
            String money, long id) {
        return given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                .body("{\"cardCode\":\"" + card.code() + "\",\"mac\":\"" + card.mac() + "\",\"money\":" + money
                        + ",\"code\":\"" + bill + "\",\"userId\":5,\"id\":" + id + "}")
                .post("/api/member/cardpay/refund");
    }

    /** A till that retries a partial refund after a timeout, with or without a header, refunds once. */
    @Test
    void aRetriedRefundRefundsOnceWithOrWithoutAHeader() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(card, "100").then().statusCode(200);
        till.pay(card, "B-RT", "50").then().statusCode(200).body("data.balance", equalTo(50.0f));
        till.refund(card, "B-RT", "20", null).then().statusCode(200).body("data.balance", equalTo(70.0f))
                .header("Idempotent-Replayed", nullValue());
        till.refund(card, "B-RT", "20", null).then().statusCode(200).body("data.balance", equalTo(70.0f))
                .header("Idempotent-Replayed", "true");
        assertThat(till.balance(card)).isEqualByComparingTo("70.00");
        // The seed's refund id tells two refunds of the same amount apart, and makes each retry safe.
        refundWithId(till, card, "B-RT", "20", 7).then().statusCode(200).body("data.balance", equalTo(90.0f));
        refundWithId(till, card, "B-RT", "20", 7).then().statusCode(200).header("Idempotent-Replayed", "true");
        refundWithId(till, card, "B-RT", "20", 8).then().statusCode(200).body("status", equalTo(803));
        till.refund(card, "B-RT", "5", "K-RT").then().statusCode(200).body("data.balance", equalTo(95.0f));
        till.refund(card, "B-RT", "5", "K-RT").then().statusCode(200).header("Idempotent-Replayed", "true");
        assertThat(till.balance(card)).isEqualByComparingTo("95.00");
    }

    /** A replay answers the first result even when the card was locked or lost since. */
    @Test
    void aReplayAnswersTheFirstResultWhateverChangedSince() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(card, "50").then().statusCode(200);
        till.pay(card, "B-LK", "20").then().statusCode(200).body("data.balance", equalTo(30.0f));
        till.refund(card, "B-LK", "5", null).then().statusCode(200).body("data.balance", equalTo(35.0f));
        Stubs.wiremock().register(com.github.tomakehurst.wiremock.client.WireMock
                .get(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/internal/cards/check"))
                .atPriority(0).withQueryParam("cardCode", com.github.tomakehurst.wiremock.client.WireMock.equalTo(
                        card.code()))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(
                        "{\"status\":601,\"message\":\"card locked after wrong card secrets\"}")));
        till.pay(card, "B-LK", "20").then().statusCode(200).header("Idempotent-Replayed", "true")
                .body("status", equalTo(200)).body("data.balance", equalTo(30.0f));
        till.refund(card, "B-LK", "5", null).then().statusCode(200).header("Idempotent-Replayed", "true")
                .body("data.balance", equalTo(35.0f));
        till.pay(card, "B-LK2", "1").then().statusCode(200).body("status", equalTo(601));
    }

    @Test
    void wrongMacLostVoidAndUnusableCardsAreRefused() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(card, "50").then().statusCode(200);
        till.pay(new Stubs.Card(card.id(), card.code(), "wrong", 2, true, true, 10, 0), "B4", "1").then()
                .statusCode(200).body("status", equalTo(602));
        Stubs.Card lost = Stubs.card(new Stubs.Card(card.id() + 500_000, "L" + card.id(), "m", 3, true, true, 10, 0));
        till.pay(lost, "B5", "1").then().body("status", equalTo(603));
        Stubs.Card voided = Stubs.card(new Stubs.Card(card.id() + 600_000, "V" + card.id(), "m", 4, true, true, 10, 0));
        till.pay(voided, "B6", "1").then().body("status", equalTo(604));
        Stubs.Card returned = Stubs
                .card(new Stubs.Card(card.id() + 700_000, "R" + card.id(), "m", 5, true, true, 10, 0));
        till.pay(returned, "B7", "1").then().body("status", equalTo(601));
        assertThat(till.balance(card)).isEqualByComparingTo("50.00");
    }

    @Test
    void whenCardServiceFailsTheTillGetsAClearFailureAndNoMoneyMoves() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(card, "50").then().statusCode(200);
        long before = entries(till);
        Stubs.cardServiceFailing();
        till.pay(card, "B8", "5").then().statusCode(500).body("status", equalTo(500))
                .body("message", equalTo("the card service is unavailable: nothing was changed, try again"));
        assertThat(entries(till)).isEqualTo(before);
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(card, "50").then().statusCode(200);
        String pay = "/api/member/cardpay/pay";
        String[][] cases = {
                {"{\"mac\":\"m\",\"money\":1,\"code\":\"X\"}", "cardCode: must not be blank"},
                {"{\"cardCode\":\"c\",\"money\":1,\"code\":\"X\"}", "mac: must not be blank"},
                {"{\"cardCode\":\"c\",\"mac\":\"m\",\"code\":\"X\"}", "money: must not be null"},
                {"{\"cardCode\":\"c\",\"mac\":\"m\",\"money\":1}", "code: must not be blank"},
                {"{\"cardCode\":\"c\",\"mac\":\"m\",\"money\":1.001,\"code\":\"X\"}", "money: "},
                {"{\"cardCode\":\"c\",\"mac\":\"m\",\"money\":-1,\"code\":\"X\"}", "money: "},
                {"{\"cardCode\":\"c\",\"mac\":\"m\",\"money\":100000000,\"code\":\"X\"}", "money: "},
                {"{\"cardCode\":\"c\",\"mac\":\"m\",\"money\":0,\"code\":\"X\"}", "money: must be more than 0"},
                {"{\"cardCode\":\"c\",\"mac\":\"m\",\"money\":\"ten\",\"code\":\"X\"}", "money: must be a number"},
                {"{\"cardCode\":\"c\",\"mac\":\"m\",\"money\":1,\"code\":\"a b\"}", "code: "},
                {"{\"cardCode\":\"c\",", "malformed JSON body"}};
        for (String[] c : cases) {
            given().header("Authorization", till.cashier).contentType(ContentType.JSON).body(c[0]).post(pay)
                    .then().statusCode(400).body("status", equalTo(400)).body("message", startsWith(c[1]));
        }
        assertThat(till.balance(card)).isEqualByComparingTo("50.00");
    }

    @Test
    void wrongRolesAndTenantsAreRefused() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(card, "50").then().statusCode(200);
        till.pay(card, "B9", "5").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{}").post("/api/member/cardpay/pay").then().statusCode(401);
        given().header("Authorization", Tokens.tenant(till.tenant, "platform-admin").bearer())
                .contentType(ContentType.JSON).body("{\"cardCode\":\"" + card.code() + "\",\"mac\":\"" + card.mac()
                        + "\",\"money\":1,\"code\":\"B10\"}")
                .post("/api/member/cardpay/pay").then().statusCode(403);
        // Another tenant's till with this card's code and mac: card-service reads the tenant from the forwarded
        // token and knows no such card there (602); nothing is written for either tenant.
        Till other = Till.newTenant();
        Stubs.unknownTo(other.cashier, card);
        other.pay(card, "B11", "1").then().statusCode(200).body("status", equalTo(602));
        other.recharge(card, "5").then().statusCode(200).body("status", equalTo(602));
        other.refund(card, "B9", "1", null).then().statusCode(200).body("status", equalTo(602));
        assertThat(entries(other)).isZero();
        assertThat(pool.preparedQuery("select count(*) from account where tenant_id = $1")
                .execute(Tuple.of(other.tenant)).await().indefinitely().iterator().next().getLong(0)).isZero();
        assertThat(till.balance(card)).isEqualByComparingTo("45.00");
    }

    /** A card with more entries than a small Long cache holds is no mismatch (same version on both sides). */
    @Test
    void aBusyCardReconciles() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(card, "200").then().statusCode(200);
        for (int i = 0; i < 130; i++) {
            till.pay(card, "BUSY-" + i, "0.01").then().body("status", equalTo(200));
        }
        Reconciliation.fullPass();
        given().header("Authorization", Tokens.tenant(till.tenant, "admin").bearer())
                .get("/api/member/cardpay/reconcile").then().statusCode(200).body("mismatches.size()", equalTo(0));
    }

    @Test
    void theReconcileEndpointProvesEveryAccountEqualsItsLedger() {
        Till till = Till.newTenant();
        Stubs.Card a = Stubs.activeCard();
        Stubs.Card b = Stubs.activeCard();
        till.recharge(a, "80").then().statusCode(200);
        till.recharge(b, "20").then().statusCode(200);
        till.pay(a, "R1", "33.33").then().statusCode(200);
        till.refund(a, "R1", "3.33", null).then().statusCode(200);
        Reconciliation.fullPass();
        given().header("Authorization", Tokens.tenant(till.tenant, "admin").bearer())
                .get("/api/member/cardpay/reconcile").then().statusCode(200)
                .body("tenantId", equalTo((int) till.tenant)).body("accounts", equalTo(2))
                .body("entries", equalTo(4)).body("mismatches.size()", equalTo(0));
        given().header("Authorization", till.cashier).get("/api/member/cardpay/reconcile").then().statusCode(403);
        given().header("Authorization", Tokens.tenant(till.tenant + 1, "admin").bearer())
                .queryParam("tenantId", till.tenant).get("/api/member/cardpay/reconcile").then().statusCode(404);
        given().header("Authorization", Tokens.tenant(1, "platform-admin").bearer())
                .queryParam("tenantId", till.tenant).get("/api/member/cardpay/reconcile").then().statusCode(200)
                .body("accounts", equalTo(2));
        assertThat(new BigDecimal("0")).isNotNull();
    }
}
