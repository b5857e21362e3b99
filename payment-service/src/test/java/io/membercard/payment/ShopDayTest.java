package io.membercard.payment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The shop-day settlement-service closes ({@code /internal/service/shopdays}): every operation of a shop's day in its
 * cell, the cells adding up to the ledger's own totals, nothing of another shop or tenant, and a snapshot that tells
 * a change committed after it.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServicesStub.class)
class ShopDayTest {
    private static final String KEY = "test-only-service-key";
    private final Pool pool;
    private final CircuitBreakerMaintenance breakers;

    ShopDayTest(Pool pool, CircuitBreakerMaintenance breakers) {
        this.pool = pool;
        this.breakers = breakers;
    }

    @BeforeEach
    void cards() {
        Stubs.resetCardService();
        Stubs.unknownCardsByDefault();
        breakers.resetAll();
    }

    private static String body(Stubs.Card card, String rest) {
        return "{\"cardCode\":\"" + card.code() + "\",\"mac\":\"" + card.mac() + "\"," + rest + "}";
    }

    private static JsonPath day(long tenant, Long shop) {
        var request = given().header("X-Service-Key", KEY).queryParam("tenantId", tenant)
                .queryParam("from", Instant.now().minusSeconds(3600).toString())
                .queryParam("to", Instant.now().plusSeconds(3600).toString());
        if (shop != null) {
            request.queryParam("shopId", shop);
        }
        return request.get("/internal/service/shopdays").then().statusCode(200).body("status", equalTo(200))
                .extract().jsonPath();
    }

    /** operation/paymentType → [count, money, actual, give]. */
    private static Map<String, List<String>> cells(JsonPath day) {
        Map<String, List<String>> cells = new HashMap<>();
        List<Map<String, Object>> lines = day.getList("data.lines");
        for (Map<String, Object> line : lines) {
            cells.put(line.get("operation") + "/" + line.get("paymentType"), List.of(line.get("count").toString(),
                    money(line.get("money")), money(line.get("actualMoney")), money(line.get("giveMoney"))));
        }
        return cells;
    }

    private static String money(Object value) {
        return new BigDecimal(value.toString()).setScale(2).toPlainString();
    }

    @Test
    void everyOperationOfTheShopsDayLandsInItsCellAndTheCellsAddUpToTheLedger() throws Exception {
        Till till = Till.newTenant();
        Till otherShop = new Till(till.tenant, 2);
        Till otherTenant = Till.newTenant();
        Stubs.Card split = Stubs.activeCard();
        Stubs.Card plain = Stubs.activeCard();
        Stubs.Card undone = Stubs.activeCard();
        Stubs.Card returned = Stubs.activeCard();
        // A recharge paid two ways, with bonus: the money by type, the bonus on no type.
        till.recharge(till.manager, "RC-S", split, body(split, "\"payMoney\":100,\"giveMoney\":10,\"details\":["
                + "{\"paymentType\":1,\"money\":60},{\"paymentType\":3,\"money\":40}]")).then().body("status",
                        equalTo(200));
        till.recharge(till.manager, "RC-P", plain, body(plain, "\"payMoney\":100,\"giveMoney\":20,\"details\":["
                + "{\"paymentType\":1,\"money\":100}]")).then().body("status", equalTo(200));
        till.pay(plain, "P-1", "30").then().body("status", equalTo(200));
        till.refund(plain, "P-1", "10", UUID.randomUUID().toString()).then().body("status", equalTo(200));
        till.recharge(undone, "50").then().body("status", equalTo(200));
        given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                .body(body(undone, "\"billNo\":\"RF-U\",\"rechargeCode\":\"" + rechargeCode(till, undone)
                        + "\",\"paymentType\":1"))
                .post("/api/member/recharge/refund").then().body("status", equalTo(200));
        Stubs.gift(77, 2, true);
        given().header("Authorization", till.cashier).header("Idempotency-Key", Till.serial())
                .contentType(ContentType.JSON).body(body(plain, "\"giftId\":77"))
                .post("/api/member/points/exchangegift").then().body("status", equalTo(200));
        String code = given().header("X-Service-Key", KEY).contentType(ContentType.JSON)
                .body("{\"tenantId\":" + till.tenant + ",\"cardCode\":\"" + split.code() + "\"}")
                .post("/internal/service/paycodes").then().statusCode(200).extract().jsonPath()
                .getString("data.payCode");
        given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                .body("{\"payCode\":\"" + code + "\",\"orderCode\":\"O-1\",\"money\":5}")
                .post("/api/member/paycode/pay").then().body("status", equalTo(200));
        till.recharge(till.manager, "RC-R", returned, body(returned, "\"payMoney\":30,\"giveMoney\":5,"
                + "\"details\":[{\"paymentType\":1,\"money\":30}]")).then().body("status", equalTo(200));
        given().header("X-Service-Key", KEY).contentType(ContentType.JSON)
                .body("{\"operationId\":\"RT-" + UUID.randomUUID() + "\",\"actor\":{\"tenantId\":" + till.tenant
                        + ",\"shopId\":1,\"userId\":\"9\",\"userName\":\"Li\"},\"cardId\":" + returned.id()
                        + ",\"cardCode\":\"" + returned.code() + "\",\"paymentType\":1}")
                .post("/internal/service/accounts/return").then().statusCode(200).body("status", equalTo(200));
        // Neither another shop's nor another tenant's day.
        otherShop.recharge(split, "7").then().body("status", equalTo(200));
        Stubs.Card stranger = Stubs.activeCard();
        otherTenant.recharge(stranger, "9").then().body("status", equalTo(200));

        JsonPath day = day(till.tenant, 1L);
        Map<String, List<String>> cells = cells(day);
        // A type's line is the money that went through it; the bonus is on no type.
        assertThat(cells.get("recharge/1")).containsExactly("4", "240.00", "240.00", "0.00");
        assertThat(cells.get("recharge/3")).containsExactly("1", "40.00", "40.00", "0.00");
        assertThat(cells.get("recharge/null")).containsExactly("3", "35.00", "0.00", "35.00");
        assertThat(cells.get("payment/2").subList(0, 2)).containsExactly("1", "-30.00");
        assertThat(cells.get("paymentRefund/2").subList(0, 2)).containsExactly("1", "10.00");
        assertThat(cells.get("rechargeRefund/1")).containsExactly("1", "-50.00", "-50.00", "0.00");
        assertThat(cells.get("payCodePayment/2").subList(0, 2)).containsExactly("1", "-5.00");
        assertThat(cells.get("giftExchange/null")).containsExactly("1", "0.00", "0.00", "0.00");
        assertThat(cells.get("cardReturn/1")).containsExactly("1", "-30.00", "-30.00", "0.00");
        assertThat(cells.get("bonusForfeit/null")).containsExactly("1", "-5.00", "0.00", "-5.00");
        assertThat(cells).hasSize(10);
        // An operation's whole counts each entry once: four recharges, one of them paid two ways.
        assertThat(day.getList("data.operations.operation")).containsExactly("bonusForfeit", "cardReturn",
                "giftExchange", "payCodePayment", "payment", "paymentRefund", "recharge", "rechargeRefund");
        assertThat(day.getInt("data.operations.find { it.operation == 'recharge' }.count")).isEqualTo(4);
        assertThat(money(day.get("data.operations.find { it.operation == 'recharge' }.money"))).isEqualTo("315.00");
        // The lines add up to the ledger's own totals, kind by kind, and to the accounts' balances.
        BigDecimal lines = sum(day, "data.lines", "money");
        BigDecimal kinds = sum(day, "data.kinds", "actualMoney").add(sum(day, "data.kinds", "giveMoney"));
        assertThat(lines).isEqualByComparingTo(kinds);
        BigDecimal balances = pool.preparedQuery("select sum(actual_balance + give_balance) from account"
                + " where tenant_id = $1 and card_id = any($2)")
                .execute(Tuple.of(till.tenant, new Long[]{split.id(), plain.id(), undone.id(), returned.id()}))
                .await().indefinitely().iterator().next().getBigDecimal(0);
        // Everything but the other shop's 7.00 on the split card.
        assertThat(lines).isEqualByComparingTo(balances.subtract(new BigDecimal("7")));
        assertThat(day.getInt("data.entries")).isEqualTo(10);
        assertThat(day.getList("data.breaches")).isEmpty();
        assertThat(day.getList("data.carried")).isEmpty();
        assertThat(day.getString("data.firstEntryAt")).isNotBlank();
        given().header("X-Service-Key", KEY).queryParam("tenantId", till.tenant).queryParam("shopId", 1)
                .get("/internal/service/shopdays/first").then().statusCode(200)
                .body("data.firstEntryAt", equalTo(day.getString("data.firstEntryAt")));
        given().header("X-Service-Key", KEY).queryParam("tenantId", otherTenant.tenant).queryParam("shopId", 2)
                .get("/internal/service/shopdays/first").then().statusCode(200)
                .body("data.firstEntryAt", org.hamcrest.Matchers.nullValue());
        // The tenant's whole day (head office) takes in the other shop too, with each shop's totals and the
        // liability: the accounts' sums (nothing was written after the day's end).
        JsonPath office = day(till.tenant, null);
        assertThat(cells(office).get("recharge/1").subList(0, 2)).containsExactly("5", "247.00");
        assertThat(office.getList("data.shops.shopId")).containsExactly(1, 2);
        // Shop 1 took in 280 and paid back 50 (a recharge refund) and 30 (a card return).
        assertThat(money(office.get("data.shops[0].actualIn"))).isEqualTo("200.00");
        assertThat(office.getInt("data.shops[0].entries")).isEqualTo(10);
        assertThat(money(office.get("data.shops[1].actualIn"))).isEqualTo("7.00");
        assertThat(new BigDecimal(office.getString("data.liability.accounts.actualMoney"))
                .add(new BigDecimal(office.getString("data.liability.accounts.giveMoney"))))
                .isEqualByComparingTo(balances);
        assertThat(money(office.get("data.liability.after.actualMoney"))).isEqualTo("0.00");
        assertThat(day.getList("data.shops")).isNull();
        // A day that ended before these entries: none of them in it, all of them after it; the liability at its end
        // is the accounts less them (nothing).
        JsonPath before = given().header("X-Service-Key", KEY).queryParam("tenantId", till.tenant)
                .queryParam("from", Instant.now().minusSeconds(7200).toString())
                .queryParam("to", Instant.now().minusSeconds(3600).toString()).get("/internal/service/shopdays")
                .then().statusCode(200).extract().jsonPath();
        assertThat(before.getInt("data.entries")).isZero();
        assertThat(new BigDecimal(before.getString("data.liability.after.actualMoney"))
                .add(new BigDecimal(before.getString("data.liability.after.giveMoney"))))
                .isEqualByComparingTo(new BigDecimal(before.getString("data.liability.accounts.actualMoney"))
                        .add(new BigDecimal(before.getString("data.liability.accounts.giveMoney"))));
        // Many closes reading at once (more than read on two connections) all read the same day.
        java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<String>> reads = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                reads.add(readers.submit(() -> day(till.tenant, 1L).getString("data.lines")));
            }
            for (java.util.concurrent.Future<String> read : reads) {
                assertThat(read.get()).isEqualTo(day.getString("data.lines"));
            }
        } finally {
            readers.shutdown();
        }
    }

    @Test
    void theSnapshotTellsAnEntryCommittedAfterItFromOneItSaw() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(card, "20").then().body("status", equalTo(200));
        // A payment's transaction still open while the day is read: not in the day, and its transaction id is not
        // visible in the day's snapshot; one committed before is.
        var late = pool.getConnection().await().indefinitely();
        try {
            late.query("begin").execute().await().indefinitely();
            String tx = late.preparedQuery("""
                    insert into ledger_entry (tenant_id, account_id, kind, bill_no, payment_type, shop_id,
                           actual_balance, version_after, user_id)
                    select tenant_id, id, 'PAYMENT', 'LATE', 2, 1, -1, version + 1, '9' from account
                    where tenant_id = $1 and card_id = $2
                    returning pg_current_xact_id()::text""")
                    .execute(Tuple.of(till.tenant, card.id())).await().indefinitely().iterator().next().getString(0);
            JsonPath day = day(till.tenant, 1L);
            assertThat(day.getInt("data.entries")).isEqualTo(1);
            String snapshot = day.getString("data.snapshot");
            assertThat(visible(tx, snapshot)).isFalse();
            String seen = pool.preparedQuery("select tx::text from outbox_event where tenant_id = $1")
                    .execute(Tuple.of(till.tenant)).await().indefinitely().iterator().next().getString(0);
            assertThat(visible(seen, snapshot)).isTrue();
        } finally {
            late.query("rollback").execute().await().indefinitely();
            late.close().await().indefinitely();
        }
    }

    @Test
    void aRechargeWhosePartsByPaymentTypeAreMissingIsABreach() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(card, "20").then().body("status", equalTo(200));
        // A recharge of 10 written without its parts by payment type (the account moved with it, so the ledger
        // and the balance agree): the day's cash line cannot be trusted, and the day says so.
        long raw = pool.preparedQuery("""
                with a as (update account set actual_balance = actual_balance + 10,
                                  actual_recharge = actual_recharge + 10, version = version + 1
                           where tenant_id = $1 and card_id = $2 returning id, tenant_id, version)
                insert into ledger_entry (tenant_id, account_id, kind, bill_no, payment_type, shop_id, actual_balance,
                       actual_recharge, version_after, user_id)
                select tenant_id, id, 'RECHARGE', 'RAW', 1, 1, 10, 10, version, '9' from a returning id""")
                .execute(Tuple.of(till.tenant, card.id())).await().indefinitely().iterator().next().getLong(0);
        JsonPath day = day(till.tenant, 1L);
        assertThat(day.getList("data.breaches.rule")).containsExactly("typedPartsMismatch");
        assertThat(day.getLong("data.breaches[0].entryId")).isEqualTo(raw);
        assertThat(money(day.get("data.breaches[0].original"))).isEqualTo("10.00");
        assertThat(money(day.get("data.breaches[0].refunded"))).isEqualTo("0.00");
    }

    @Test
    void aDayMustBeNamedWholeAndAskedWithTheServiceKey() {
        given().queryParam("tenantId", 1).queryParam("from", "2026-12-01T16:00:00Z")
                .queryParam("to", "2026-12-02T16:00:00Z").get("/internal/service/shopdays").then().statusCode(401);
        given().header("X-Service-Key", KEY).queryParam("from", "2026-12-01T16:00:00Z")
                .queryParam("to", "2026-12-02T16:00:00Z").get("/internal/service/shopdays").then().statusCode(400)
                .body("message", equalTo("tenantId: is required"));
        given().header("X-Service-Key", KEY).queryParam("tenantId", 1).queryParam("from", "yesterday")
                .queryParam("to", "2026-12-02T16:00:00Z").get("/internal/service/shopdays").then().statusCode(400)
                .body("message", org.hamcrest.Matchers.startsWith("from: "));
        given().header("X-Service-Key", KEY).queryParam("tenantId", 1).queryParam("from", "2026-12-01T16:00:00Z")
                .queryParam("to", "2026-12-05T16:00:00Z").get("/internal/service/shopdays").then().statusCode(400)
                .body("message", org.hamcrest.Matchers.startsWith("to: "));
    }

    private boolean visible(String tx, String snapshot) {
        return pool.preparedQuery("select pg_visible_in_snapshot($1::xid8, $2::pg_snapshot)")
                .execute(Tuple.of(tx, snapshot)).await().indefinitely().iterator().next().getBoolean(0);
    }

    private String rechargeCode(Till till, Stubs.Card card) {
        return pool.preparedQuery("select r.code from recharge r join account a on a.id = r.account_id"
                + " where a.tenant_id = $1 and a.card_id = $2").execute(Tuple.of(till.tenant, card.id()))
                .await().indefinitely().iterator().next().getString(0);
    }

    private static BigDecimal sum(JsonPath day, String list, String field) {
        List<Object> values = day.getList(list + "." + field);
        return values.stream().map(v -> new BigDecimal(v.toString())).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
