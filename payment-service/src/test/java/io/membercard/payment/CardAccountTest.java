package io.membercard.payment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import java.math.BigDecimal;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The account side of the card lifecycle, called by card-service and member-service with the service key:
 * replacement, return, opening balances, shop migration, and the events that open accounts and set the payment order.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServicesStub.class)
class CardAccountTest {
    static final String SERVICE_KEY = "test-only-service-key";
    private final Pool pool;
    private final CircuitBreakerMaintenance breakers;

    CardAccountTest(Pool pool, CircuitBreakerMaintenance breakers) {
        this.pool = pool;
        this.breakers = breakers;
    }

    @BeforeEach
    void stubs() {
        Stubs.resetCardService();
        Stubs.unknownCardsByDefault();
        breakers.resetAll();
    }

    static ValidatableResponse service(String path, String json) {
        return given().header("X-Service-Key", SERVICE_KEY).contentType(ContentType.JSON).body(json).post(path)
                .then();
    }

    private static String actor(Till till) {
        return "\"actor\":{\"tenantId\":" + till.tenant + ",\"shopId\":1,\"userId\":\"9\",\"userName\":\"Li\"}";
    }

    private Row account(long tenant, long cardId) {
        var rows = pool.preparedQuery("select *, total_points - used_points - expired_points as actual_points"
                + " from account where tenant_id = $1 and card_id = $2").execute(Tuple.of(tenant, cardId))
                .await().indefinitely();
        return rows.iterator().hasNext() ? rows.iterator().next() : null;
    }

    private static void reconciled(long tenant) {
        Reconciliation.fullPass();
        given().header("Authorization", io.membercard.common.testing.Tokens.tenant(tenant, "admin").bearer())
                .get("/api/member/cardpay/reconcile").then().statusCode(200).body("mismatches", empty());
    }

    private static String replace(Till till, String op, Stubs.Card from, Stubs.Card to, String timestamp) {
        return "{\"operationId\":\"" + op + "\"," + actor(till) + ",\"fromCardId\":" + from.id()
                + ",\"fromCardCode\":\"" + from.code() + "\",\"toCardId\":" + to.id() + ",\"toCardCode\":\""
                + to.code() + "\"" + (timestamp == null ? "" : ",\"timestamp\":\"" + timestamp + "\"") + "}";
    }

    @Test
    void aReplacementMovesMoneyPointsAndHistoryToTheNewCardOnce() {
        Till till = Till.newTenant();
        Stubs.Card old = Stubs.activeCard();
        Stubs.Card fresh = Stubs.activeCard();
        till.recharge(old, "100").then().statusCode(200);
        till.pay(old, "B-" + old.id(), "30").then().body("status", equalTo(200));
        String op = "OP-" + UUID.randomUUID();
        service("/internal/service/accounts/replace", replace(till, op, old, fresh, "1")).statusCode(409);
        service("/internal/service/accounts/replace", replace(till, op, old, fresh, "2")).statusCode(200)
                .body("status", equalTo(200)).body("data.balance", equalTo(70.0f))
                .body("data.actualPoints", equalTo(3)).body("data.timestamp", equalTo("3"));
        service("/internal/service/accounts/replace", replace(till, op, old, fresh, "2")).statusCode(200)
                .header("Idempotent-Replayed", "true").body("data.balance", equalTo(70.0f));
        Stubs.Card other = Stubs.activeCard();
        service("/internal/service/accounts/replace", replace(till, op, old, other, null)).statusCode(200)
                .body("status", equalTo(801));

        // The old card keeps a tombstone pointing at the account, and nothing else.
        Row tombstone = account(till.tenant, old.id());
        assertThat(tombstone.getString("state")).isEqualTo("MOVED");
        assertThat(tombstone.getBigDecimal("actual_balance")).isEqualByComparingTo("0");
        Row moved = account(till.tenant, fresh.id());
        assertThat(moved.getBigDecimal("actual_balance")).isEqualByComparingTo("70");
        assertThat(moved.getLong("actual_points")).isEqualTo(3);
        assertThat(till.balance(fresh)).isEqualByComparingTo("70");
        till.pay(fresh, "B2-" + fresh.id(), "10").then().body("status", equalTo(200));
        long entries = pool.preparedQuery("select count(*) from ledger_entry where account_id = $1")
                .execute(Tuple.of(moved.getLong("id"))).await().indefinitely().iterator().next().getLong(0);
        assertThat(entries).isEqualTo(4);
        reconciled(till.tenant);

        // A card that has money of its own cannot take another card's account.
        Stubs.Card third = Stubs.activeCard();
        till.recharge(third, "5").then().statusCode(200);
        service("/internal/service/accounts/replace", replace(till, "OP-" + UUID.randomUUID(), fresh, third, null))
                .statusCode(400).body("message", startsWith("cardCode: card " + third.code() + " already has"));
        assertThat(till.balance(fresh)).isEqualByComparingTo("60");
    }

    /**
     * The actor names the tenant a replacement or return acts in (card-service sends its caller's): another tenant's
     * actor with this tenant's card ids moves and pays back nothing of this tenant's account.
     */
    @Test
    void anotherTenantsActorMovesAndPaysBackNothingOfThisTenantsAccount() {
        Till till = Till.newTenant();
        Till other = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        Stubs.Card fresh = Stubs.activeCard();
        till.recharge(card, "50").then().statusCode(200);
        String ret = "{\"operationId\":\"RT-" + UUID.randomUUID() + "\"," + actor(other) + ",\"cardId\":" + card.id()
                + ",\"cardCode\":\"" + card.code() + "\",\"paymentType\":1}";
        // In the other tenant the card id has no money: its return pays back nothing (and closes that tenant's
        // empty account, so a replacement there is refused); this tenant's account is untouched.
        service("/internal/service/accounts/return", ret).statusCode(200).body("status", equalTo(200))
                .body("data.paidBack", equalTo(0.0f)).body("data.forfeitedBonus", equalTo(0.0f));
        service("/internal/service/accounts/replace", replace(other, "OP-" + UUID.randomUUID(), card, fresh, null))
                .statusCode(200).body("status", equalTo(601));
        Row mine = account(till.tenant, card.id());
        assertThat(mine.getString("state")).isEqualTo("OPEN");
        assertThat(mine.getBigDecimal("actual_balance")).isEqualByComparingTo("50");
        assertThat(account(till.tenant, fresh.id())).isNull();
        assertThat(till.balance(card)).isEqualByComparingTo("50");
        Row theirs = account(other.tenant, fresh.id());
        assertThat(theirs == null || theirs.getBigDecimal("actual_balance").signum() == 0).isTrue();
        reconciled(till.tenant);
    }

    @Test
    void aReturnPaysBackTheActualBalanceAndForfeitsBonusAndPoints() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(till.manager, Till.serial(), card, "{\"cardCode\":\"" + card.code() + "\",\"mac\":\""
                + card.mac() + "\",\"payMoney\":100,\"giveMoney\":20,\"details\":[{\"paymentType\":1,"
                + "\"money\":100}]}").then().body("status", equalTo(200));
        till.pay(card, "B-" + card.id(), "60").then().body("status", equalTo(200));
        Row before = account(till.tenant, card.id());
        String op = "RT-" + UUID.randomUUID();
        String body = "{\"operationId\":\"" + op + "\"," + actor(till) + ",\"cardId\":" + card.id() + ",\"cardCode\":\""
                + card.code() + "\",\"paymentType\":1}";
        service("/internal/service/accounts/return", body).statusCode(200).body("status", equalTo(200))
                .body("data.paidBack", equalTo(before.getBigDecimal("actual_balance").floatValue()))
                .body("data.forfeitedBonus", equalTo(before.getBigDecimal("give_balance").floatValue()))
                .body("data.forfeitedPoints", equalTo(6));
        service("/internal/service/accounts/return", body).statusCode(200).header("Idempotent-Replayed", "true");
        Row after = account(till.tenant, card.id());
        assertThat(after.getBigDecimal("actual_balance")).isEqualByComparingTo("0");
        assertThat(after.getBigDecimal("give_balance")).isEqualByComparingTo("0");
        assertThat(after.getLong("actual_points")).isZero();
        BigDecimal paid = pool.preparedQuery("select sum(money) from refund_payment where tenant_id = $1")
                .execute(Tuple.of(till.tenant)).await().indefinitely().iterator().next().getBigDecimal(0);
        assertThat(paid).isEqualByComparingTo(before.getBigDecimal("actual_balance"));
        reconciled(till.tenant);
        service("/internal/service/accounts/return", body.replace("\"paymentType\":1", "\"paymentType\":2"))
                .statusCode(400).body("message", startsWith("paymentType: "));
    }

    /**
     * Eight recharges of 10 on {@code card} at the same time as {@code lifecycle} (which succeeds); each recharge
     * lands before it or is refused (601). Answers how many landed.
     */
    private static long raceRecharges(Till till, Stubs.Card card,
            java.util.function.Supplier<ValidatableResponse> lifecycle) {
        java.util.List<Integer> statuses = io.membercard.common.testing.Concurrently.run(9, i -> i == 0
                ? lifecycle.get().extract().jsonPath().getInt("status")
                : till.recharge(card, "10").then().extract().jsonPath().getInt("status"));
        assertThat(statuses.get(0)).isEqualTo(200);
        assertThat(statuses.stream().skip(1).filter(s -> s != 200)).allSatisfy(s -> assertThat(s).isEqualTo(601));
        return statuses.stream().skip(1).filter(s -> s == 200).count();
    }

    /**
     * card-service vouched for the card before the return (the stub still says it is active): recharges racing the
     * return either land before it (and are paid back by it) or are refused; none leaves money on the returned card.
     */
    @Test
    void rechargesRacingAReturnNeverLeaveMoneyOnTheReturnedCard() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(card, "100").then().statusCode(200);
        String op = "RT-" + UUID.randomUUID();
        String body = "{\"operationId\":\"" + op + "\"," + actor(till) + ",\"cardId\":" + card.id() + ",\"cardCode\":\""
                + card.code() + "\",\"paymentType\":1}";
        long landed = raceRecharges(till, card, () -> service("/internal/service/accounts/return", body));
        BigDecimal paidBack = pool.preparedQuery("""
                select -actual_balance from ledger_entry where tenant_id = $1 and kind = 'CARD_RETURN'""")
                .execute(Tuple.of(till.tenant)).await().indefinitely().iterator().next().getBigDecimal(0);
        assertThat(paidBack).isEqualByComparingTo(BigDecimal.valueOf(100 + 10 * landed));
        till.recharge(card, "10").then().statusCode(200).body("status", equalTo(601));
        till.pay(card, "B-DEAD-" + card.id(), "1").then().body("status", equalTo(601));
        Row after = account(till.tenant, card.id());
        assertThat(after.getBigDecimal("actual_balance")).isEqualByComparingTo("0");
        assertThat(after.getString("state")).isEqualTo("CLOSED");
        reconciled(till.tenant);
    }

    /** Recharges racing a replacement land on the account that moves, never on the old card. */
    @Test
    void rechargesRacingAReplacementNeverLeaveMoneyOnTheOldCard() {
        Till till = Till.newTenant();
        Stubs.Card old = Stubs.activeCard();
        Stubs.Card fresh = Stubs.activeCard();
        till.recharge(old, "100").then().statusCode(200);
        String op = "OP-" + UUID.randomUUID();
        long landed = raceRecharges(till, old, () -> service("/internal/service/accounts/replace",
                replace(till, op, old, fresh, null)));
        till.recharge(old, "10").then().statusCode(200).body("status", equalTo(601));
        assertThat(till.balance(fresh)).isEqualByComparingTo(BigDecimal.valueOf(100 + 10 * landed));
        Row left = account(till.tenant, old.id());
        assertThat(left == null || left.getBigDecimal("actual_balance").signum() == 0).isTrue();
        reconciled(till.tenant);
    }

    @Test
    void openingsGiveEachCardItsBalanceOnceEvenWhenRepeated() {
        Till till = Till.newTenant();
        Stubs.Card a = Stubs.activeCard();
        Stubs.Card b = Stubs.activeCard();
        Stubs.Card c = Stubs.activeCard();
        String body = "{" + actor(till) + ",\"items\":[{\"cardId\":" + a.id() + ",\"cardCode\":\"" + a.code()
                + "\",\"actual\":100.5,\"give\":10,\"points\":50,\"pointsValidDays\":30},{\"cardId\":" + b.id()
                + ",\"cardCode\":\"" + b.code() + "\",\"actual\":20},{\"cardId\":" + c.id() + ",\"cardCode\":\""
                + c.code() + "\"}]}";
        service("/internal/service/accounts/openings", body).statusCode(200).body("data", hasSize(3))
                .body("data[0].opened", equalTo(true)).body("data[1].opened", equalTo(true))
                .body("data[2].opened", equalTo(false)).body("data[2].timestamp", equalTo("0"));
        service("/internal/service/accounts/openings", body).statusCode(200).body("data.opened",
                org.hamcrest.Matchers.everyItem(equalTo(false)));
        assertThat(till.balance(a)).isEqualByComparingTo("110.50");
        assertThat(till.balance(b)).isEqualByComparingTo("20.00");
        assertThat(account(till.tenant, a.id()).getLong("actual_points")).isEqualTo(50);
        assertThat(account(till.tenant, c.id()).getLong("version")).isZero();
        reconciled(till.tenant);

        given().header("Authorization", till.cashier).queryParam("cardIds", a.id() + "," + b.id() + "," + c.id())
                .get("/internal/accounts/by-cards").then().statusCode(200).body("cardId", hasSize(3))
                .body("find { it.cardId == " + a.id() + " }.balance", equalTo(110.5f))
                .body("find { it.cardId == " + a.id() + " }.pointsDisabledDate", org.hamcrest.Matchers.notNullValue());
        given().header("Authorization", Till.newTenant().cashier).queryParam("cardIds", a.id())
                .get("/internal/accounts/by-cards").then().statusCode(200).body("$", empty());
        String page = "/internal/service/accounts/page";
        given().header("X-Service-Key", SERVICE_KEY).queryParam("tenantId", till.tenant).queryParam("limit", 2)
                .get(page).then().statusCode(200).body("cardId", hasSize(2));
        // Page by page by card id, the tenant's accounts only.
        long first = Math.min(a.id(), Math.min(b.id(), c.id()));
        given().header("X-Service-Key", SERVICE_KEY).queryParam("tenantId", till.tenant)
                .queryParam("afterCardId", first).get(page).then().statusCode(200).body("cardId", hasSize(2))
                .body("cardId", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem((int) first)));
        given().header("X-Service-Key", SERVICE_KEY).queryParam("tenantId", Till.newTenant().tenant).get(page)
                .then().statusCode(200).body("$", empty());
        given().header("X-Service-Key", SERVICE_KEY).get(page).then().statusCode(400)
                .body("message", startsWith("tenantId: "));
        given().header("X-Service-Key", SERVICE_KEY).queryParam("tenantId", till.tenant).queryParam("limit", 0)
                .get(page).then().statusCode(400).body("message", startsWith("limit: "));
        given().header("X-Service-Key", SERVICE_KEY).queryParam("tenantId", till.tenant).queryParam("limit", 5001)
                .get(page).then().statusCode(400).body("message", startsWith("limit: "));
        given().header("X-Service-Key", SERVICE_KEY).queryParam("tenantId", till.tenant)
                .queryParam("afterCardId", "x").get(page).then().statusCode(400)
                .body("message", startsWith("afterCardId: "));

        service("/internal/service/accounts/openings", "{" + actor(till) + ",\"items\":[{\"cardId\":" + a.id()
                + ",\"cardCode\":\"x\",\"actual\":1.001}]}").statusCode(400)
                .body("message", startsWith("items[0].actual: "));
        service("/internal/service/accounts/openings", "{" + actor(till) + ",\"items\":[{\"cardId\":" + a.id()
                + ",\"cardCode\":\"x\"},{\"cardId\":" + a.id() + ",\"cardCode\":\"x\"}]}").statusCode(400)
                .body("message", startsWith("items[1].cardId: "));
        given().contentType(ContentType.JSON).body(body).post("/internal/service/accounts/openings").then()
                .statusCode(401);
    }

    @Test
    void aMigrationMovesEveryCentAndPointToTheOtherTenantOnce() {
        Till from = Till.newTenant();
        Till to = Till.newTenant();
        Stubs.Card a = Stubs.activeCard();
        Stubs.Card b = Stubs.activeCard();
        Stubs.Card empty = Stubs.activeCard();
        from.recharge(from.manager, Till.serial(), a, "{\"cardCode\":\"" + a.code() + "\",\"mac\":\"" + a.mac()
                + "\",\"payMoney\":80,\"giveMoney\":8,\"details\":[{\"paymentType\":1,\"money\":80}]}").then()
                .body("status", equalTo(200));
        from.pay(a, "B-" + a.id(), "33.33").then().body("status", equalTo(200));
        from.recharge(b, "12.34").then().statusCode(200);
        long toA = a.id() + 500_000_000L;
        long toB = b.id() + 500_000_000L;
        long toEmpty = empty.id() + 500_000_000L;
        String id = "MG-" + UUID.randomUUID();
        String body = "{\"migrationId\":\"" + id + "\",\"fromTenantId\":" + from.tenant + ",\"toTenantId\":"
                + to.tenant + ",\"shopId\":1,\"userId\":\"1\",\"userName\":\"ops\",\"dryRun\":%s,\"cards\":["
                + "{\"fromCardId\":" + a.id() + ",\"toCardId\":" + toA + ",\"toCardCode\":\"" + a.code() + "\"},"
                + "{\"fromCardId\":" + b.id() + ",\"toCardId\":" + toB + ",\"toCardCode\":\"" + b.code() + "\"},"
                + "{\"fromCardId\":" + empty.id() + ",\"toCardId\":" + toEmpty + ",\"toCardCode\":\"" + empty.code()
                + "\"}]}";
        BigDecimal before = total(from.tenant).add(total(to.tenant));
        service("/internal/service/accounts/migrate", body.formatted("true")).statusCode(200)
                .body("data.accounts", equalTo(2)).body("data.points", equalTo(3));
        assertThat(total(to.tenant)).isEqualByComparingTo("0");
        var moved = service("/internal/service/accounts/migrate", body.formatted("false")).statusCode(200)
                .body("data.accounts", equalTo(2)).body("data.points", equalTo(3)).extract().jsonPath();
        service("/internal/service/accounts/migrate", body.formatted("false")).statusCode(200)
                .header("Idempotent-Replayed", "true");
        assertThat(total(from.tenant)).isEqualByComparingTo("0");
        assertThat(total(to.tenant)).isEqualByComparingTo(before);
        assertThat(new BigDecimal(moved.getString("data.actualBalance"))
                .add(new BigDecimal(moved.getString("data.giveBalance")))).isEqualByComparingTo(before);
        Row arrived = account(to.tenant, toA);
        Row left = account(from.tenant, a.id());
        assertThat(arrived.getLong("actual_points")).isEqualTo(3);
        assertThat(left.getLong("actual_points")).isZero();
        assertThat(account(to.tenant, toEmpty)).isNull();
        reconciled(from.tenant);
        reconciled(to.tenant);
    }

    @Test
    void eventsOpenAMembersAccountAndSetThePaymentOrder() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        String events = "[{\"eventId\":\"" + UUID.randomUUID() + "\",\"tenantId\":" + till.tenant
                + ",\"type\":\"member.created\",\"aggregateId\":\"1\",\"occurredAt\":\"2026-11-23 10:00:00\","
                + "\"payload\":{\"memberId\":1,\"cardId\":" + card.id() + ",\"cardCode\":\"" + card.code() + "\"}},"
                + "{\"eventId\":\"" + UUID.randomUUID() + "\",\"tenantId\":" + till.tenant
                + ",\"type\":\"tenant.settings\",\"aggregateId\":\"" + till.tenant + "\",\"occurredAt\":"
                + "\"2026-11-23 10:00:00\",\"payload\":{\"splitOrder\":\"GIVE_FIRST\"}}]";
        given().header("X-Service-Key", SERVICE_KEY).contentType(ContentType.JSON).body(events)
                .post("/internal/service/events").then().log().ifValidationFails().statusCode(204);
        assertThat(account(till.tenant, card.id()).getLong("version")).isZero();
        till.recharge(till.manager, Till.serial(), card, "{\"cardCode\":\"" + card.code() + "\",\"mac\":\""
                + card.mac() + "\",\"payMoney\":10,\"giveMoney\":5,\"details\":[{\"paymentType\":1,\"money\":10}]}")
                .then().body("status", equalTo(200));
        till.pay(card, "B-" + card.id(), "5").then().body("status", equalTo(200));
        Row after = account(till.tenant, card.id());
        assertThat(after.getBigDecimal("give_balance")).isEqualByComparingTo("0");
        assertThat(after.getBigDecimal("actual_balance")).isEqualByComparingTo("10");
    }

    private BigDecimal total(long tenant) {
        Row row = pool.preparedQuery("select coalesce(sum(actual_balance + give_balance), 0) from account"
                + " where tenant_id = $1").execute(Tuple.of(tenant)).await().indefinitely().iterator().next();
        return row.getBigDecimal(0);
    }
}
