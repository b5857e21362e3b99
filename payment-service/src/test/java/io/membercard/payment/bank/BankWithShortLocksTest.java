package io.membercard.payment.bank;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.payment.OtherServicesStub;
import io.membercard.payment.Stubs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The bank test with Redis locks that expire before the work is done (1 ms): the Redis lock no longer keeps tills
 * apart, and the database's row lock and version fence must keep the money exact alone.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServicesStub.class)
@TestProfile(BankWithShortLocksTest.ShortLocks.class)
class BankWithShortLocksTest extends BankScenario {
    /** Locks that live one millisecond. */
    public static class ShortLocks implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("membercard.common.lock.ttl", "1ms");
        }
    }

    private final Pool pool;

    BankWithShortLocksTest(Pool pool) {
        this.pool = pool;
    }

    @Override
    protected Pool pool() {
        return pool;
    }

    @BeforeEach
    void cards() {
        Stubs.resetCardService();
        Stubs.unknownCardsByDefault();
    }

    @Test
    void moneyStaysExactWhenLocksExpireMidWork() {
        runBank();
    }
}
