package io.membercard.payment.bank;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.payment.OtherServicesStub;
import io.membercard.payment.Stubs;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The bank test with nothing in front of the database once Redis stops: the in-process line per card is off (every
 * request contends as if it came from another instance), and half-way Redis stops. From then on the account row's
 * lock ({@code for update}) and its version check are all that keep two tills from changing one balance at once;
 * the money stays exact.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServicesStub.class)
@TestProfile(BankWithDatabaseFenceOnlyTest.FenceOnly.class)
class BankWithDatabaseFenceOnlyTest extends RedisStoppingBank {
    /** A Redis of the test's own, which it stops, and no in-process line. */
    public static class FenceOnly extends RedisStoppingBank.OwnRedis {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("membercard.common.lock.local-queue", "false");
        }
    }

    BankWithDatabaseFenceOnlyTest(Pool pool, MeterRegistry metrics) {
        super(pool, metrics);
    }

    @Test
    void moneyStaysExactWithOnlyTheDatabaseBetweenTheTills() {
        runBank();
        assertThat(metrics.counter("membercard.payment.lock.degraded").count())
                .as("changes made under the database's locks alone").isPositive();
    }

    /**
     * Twenty tills pay 10 each at once from one card of 100, with Redis stopped and no in-process line: the row lock
     * and the version check make them take turns at the database, so ten are paid, the others are told the balance
     * is too low (605), and nobody gets an error or a negative balance.
     */
    @Test
    void twentyTillsDrainOneCardAtOnceWithOnlyTheDatabaseBetweenThem() {
        halfway();
        io.membercard.payment.Till till = io.membercard.payment.Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(card, "100").then().statusCode(200);
        Map<Integer, Long> answers = io.membercard.common.testing.Concurrently.counted(20, n -> till
                .pay(card, "DRAIN-" + n, "10").then().statusCode(200).extract().jsonPath().getInt("status"));
        assertThat(answers).as("answers by status").containsEntry(200, 10L).containsEntry(605, 10L).hasSize(2);
        assertThat(till.balance(card)).isEqualByComparingTo("0.00");
        assertThat(pool.preparedQuery("select count(*) from ledger_entry where tenant_id = $1 and kind = 'PAYMENT'")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(till.tenant)).await().indefinitely().iterator().next()
                .getLong(0)).isEqualTo(10);
    }
}
