package io.membercard.payment.bank;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.payment.OtherServicesStub;
import io.membercard.payment.Stubs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/** The bank test with Redis up: Redis locks in front, database locks behind. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServicesStub.class)
class BankTest extends BankScenario {
    private final Pool pool;

    BankTest(Pool pool) {
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
    void moneyIsExactUnderManyConcurrentTills() {
        runBank();
    }
}
