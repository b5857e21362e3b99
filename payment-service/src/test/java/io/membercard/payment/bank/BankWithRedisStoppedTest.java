package io.membercard.payment.bank;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.payment.OtherServicesStub;
import io.membercard.payment.Stubs;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The bank test with Redis stopped half-way: payments go on under database locks alone, stay exact, and the
 * service reports it (readiness data, metrics).
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServicesStub.class)
@TestProfile(BankWithRedisStoppedTest.OwnRedis.class)
class BankWithRedisStoppedTest extends BankScenario {
    /** Runs the service against a Redis of the test's own, which the test may stop. */
    public static class OwnRedis implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DisposableRedis.class));
        }
    }

    private final Pool pool;
    private final MeterRegistry metrics;

    BankWithRedisStoppedTest(Pool pool, MeterRegistry metrics) {
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

    @Test
    void moneyStaysExactWhenRedisStopsPartWay() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Redis (balance locks)' }.data.mode", equalTo("redis"));
        runBank();
        assertThat(metrics.counter("membercard.payment.lock.degraded").count()).isPositive();
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("Redis (balance locks)"))
                .body("checks.find { it.name == 'Redis (balance locks)' }.data.mode", equalTo("database-only"));
    }
}
