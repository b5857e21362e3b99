package io.membercard.payment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.payment.points.PointsExpiryJob;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServicesStub.class)
class PointsTest {
    private final Pool pool;
    private final PointsExpiryJob expiry;
    private final CircuitBreakerMaintenance breakers;
    private final io.quarkus.redis.datasource.RedisDataSource redis;

    PointsTest(Pool pool, PointsExpiryJob expiry, CircuitBreakerMaintenance breakers,
            io.quarkus.redis.datasource.RedisDataSource redis) {
        this.pool = pool;
        this.expiry = expiry;
        this.breakers = breakers;
        this.redis = redis;
    }

    @BeforeEach
    void stubs() {
        Stubs.resetCardService();
        Stubs.unknownCardsByDefault();
        breakers.resetAll();
    }

    private Row account(Till till, Stubs.Card card) {
        return pool.preparedQuery("select *, total_points - used_points - expired_points as actual_points"
                + " from account where tenant_id = $1 and card_id = $2")
                .execute(Tuple.of(till.tenant, card.id())).await().indefinitely().iterator().next();
    }

    private static Response exchange(Till till, Stubs.Card card, long gift, String serial) {
        return given().header("Authorization", till.cashier).header("Idempotency-Key", serial)
                .contentType(ContentType.JSON)
                .body("{\"cardCode\":\"" + card.code() + "\",\"mac\":\"" + card.mac() + "\",\"giftId\":" + gift + "}")
                .post("/api/member/points/exchangegift");
    }

    /** How many {@code account.points-expiry} events the tenant's accounts published. */
    private long expiryEvents(Till till) {
        return pool.preparedQuery("select count(*) from outbox_event where tenant_id = $1 and type = "
                + "'account.points-expiry'").execute(Tuple.of(till.tenant)).await().indefinitely().iterator().next()
                .getLong(0);
    }

    @Test
    void paymentsEarnPointsThatBuyGifts() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        Stubs.gift(91, 5, true);
        Stubs.gift(92, 100, true);
        Stubs.gift(93, 1, false);
        till.recharge(card, "500").then().statusCode(200);
        till.pay(card, "P1", "80").then().statusCode(200);
        assertThat(account(till, card).getLong("actual_points")).isEqualTo(8);
        exchange(till, card, 92, "G1").then().statusCode(200).body("status", equalTo(607));
        exchange(till, card, 93, "G2").then().statusCode(200).body("status", equalTo(608));
        exchange(till, card, 94, "G3").then().statusCode(200).body("status", equalTo(608));
        exchange(till, card, 91, "G4").then().statusCode(200).body("status", equalTo(200));
        exchange(till, card, 91, "G4").then().statusCode(200).header("Idempotent-Replayed", "true");
        Row account = account(till, card);
        assertThat(account.getLong("used_points")).isEqualTo(5);
        assertThat(account.getLong("actual_points")).isEqualTo(3);
        exchange(till, card, 91, "G5").then().body("status", equalTo(607));
        given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                .body("{\"cardCode\":\"" + card.code() + "\",\"mac\":\"" + card.mac() + "\",\"giftId\":91}")
                .post("/api/member/points/exchangegift").then().statusCode(400)
                .body("message", equalTo("Idempotency-Key: is required"));
        given().header("Authorization", till.cashier).header("Idempotency-Key", "G6").contentType(ContentType.JSON)
                .body("{\"cardCode\":\"" + card.code() + "\",\"mac\":\"" + card.mac() + "\",\"giftId\":0}")
                .post("/api/member/points/exchangegift").then().statusCode(400).body("message", startsWith("giftId: "));
    }

    /** Points left in the lot the payment of {@code bill} earned. */
    private long remaining(Till till, String bill) {
        return pool.preparedQuery("""
                select l.remaining from points_lot l join ledger_entry e on e.id = l.entry_id
                where e.tenant_id = $1 and e.bill_no = $2""").execute(Tuple.of(till.tenant, bill)).await()
                .indefinitely().iterator().next().getLong(0);
    }

    /** Sets when the lot the payment of {@code bill} earned expires ({@code expiresAt}: SQL, $1 the tenant). */
    private void lot(Till till, String bill, String expiresAt) {
        pool.preparedQuery("update points_lot set expires_at = " + expiresAt
                + " where entry_id = (select id from ledger_entry where tenant_id = $1 and bill_no = $2)")
                .execute(Tuple.of(till.tenant, bill)).await().indefinitely();
    }

    @Test
    void pointsExpireOldestFirstAndTheSweepExpiresUntouchedAccounts() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        Stubs.gift(95, 3, true);
        till.recharge(card, "500").then().statusCode(200);
        assertThat(expiryEvents(till)).isZero();
        till.pay(card, "P2", "50").then().statusCode(200); // 5 points, the lot written first
        assertThat(expiryEvents(till)).as("the first lot sets when points expire").isEqualTo(1);
        till.pay(card, "P3", "70").then().statusCode(200); // 7 points
        assertThat(expiryEvents(till)).as("a later lot changes nothing of it").isEqualTo(1);
        // The newer lot is made to expire a day before the older one: "oldest first" is by when a lot expires, so
        // the exchange takes from it, not from the lot written first.
        lot(till, "P3", "(select expires_at from points_lot where entry_id = (select id from ledger_entry"
                + " where tenant_id = $1 and bill_no = 'P2')) - interval '1 day'");
        exchange(till, card, 95, "G7").then().body("status", equalTo(200)); // 3 from the lot expiring first
        assertThat(expiryEvents(till)).as("spent points may change it").isEqualTo(2);
        assertThat(remaining(till, "P3")).as("the lot expiring first").isEqualTo(4);
        assertThat(remaining(till, "P2")).as("the lot expiring later").isEqualTo(5);
        lot(till, "P3", "now() - interval '1 day'");
        assertThat(expiry.expireDue().await().indefinitely()).isGreaterThanOrEqualTo(1);
        Row account = account(till, card);
        assertThat(account.getLong("expired_points")).isEqualTo(4);
        assertThat(expiryEvents(till)).isEqualTo(3);
        assertThat(account.getLong("actual_points")).isEqualTo(5);
        Reconciliation.fullPass();
        given().header("Authorization", io.membercard.common.testing.Tokens.tenant(till.tenant, "admin").bearer())
                .get("/api/member/cardpay/reconcile").then().body("mismatches.size()", equalTo(0));
    }

    /** One account that cannot be expired (its card's lock is held by a stuck till) does not stop the others. */
    @Test
    void oneFailingAccountDoesNotStopTheSweep() {
        Till till = Till.newTenant();
        Stubs.Card[] stuck = {Stubs.activeCard(), Stubs.activeCard(), Stubs.activeCard()};
        Stubs.Card free = Stubs.activeCard();
        for (Stubs.Card card : new Stubs.Card[]{stuck[0], stuck[1], stuck[2], free}) {
            till.recharge(card, "100").then().statusCode(200);
            till.pay(card, "PE-" + card.id(), "50").then().statusCode(200);
        }
        pool.preparedQuery("update points_lot set expires_at = now() - interval '1 day' where tenant_id = $1")
                .execute(Tuple.of(till.tenant)).await().indefinitely();
        for (Stubs.Card card : stuck) {
            redis.value(String.class).set("mctest:lock:account:" + till.tenant + ":" + card.id(), "stuck-till",
                    new io.quarkus.redis.datasource.value.SetArgs().px(60_000));
        }
        try {
            for (int round = 0; round < 3 && account(till, free).getLong("expired_points") == 0; round++) {
                expiry.expireDue().await().indefinitely();
            }
            assertThat(account(till, free).getLong("expired_points")).isEqualTo(5);
            assertThat(account(till, stuck[0]).getLong("expired_points")).isZero();
        } finally {
            for (Stubs.Card card : stuck) {
                redis.key().del("mctest:lock:account:" + till.tenant + ":" + card.id());
            }
        }
    }
}
