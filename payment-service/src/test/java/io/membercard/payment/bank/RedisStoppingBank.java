package io.membercard.payment.bank;

import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;

import io.membercard.payment.Stubs;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.vertx.mutiny.sqlclient.Pool;

/** The bank test against a Redis of the test's own ({@link DisposableRedis}), which it stops half-way. */
abstract class RedisStoppingBank extends BankScenario {
    /** Runs the service against a Redis of the test's own, which the test may stop. */
    public static class OwnRedis implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DisposableRedis.class));
        }
    }

    protected final Pool pool;
    protected final MeterRegistry metrics;

    RedisStoppingBank(Pool pool, MeterRegistry metrics) {
        this.pool = pool;
        this.metrics = metrics;
    }

    @Override
    protected Pool pool() {
        return pool;
    }

    @Override
    protected void halfway() {
        DisposableRedis.shutdown(ConfigProvider.getConfig().getValue("membercard.test.redis-port", Integer.class));
    }

    @BeforeEach
    void cards() {
        Stubs.resetCardService();
        Stubs.unknownCardsByDefault();
    }
}
