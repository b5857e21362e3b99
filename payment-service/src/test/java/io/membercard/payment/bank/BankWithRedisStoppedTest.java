package io.membercard.payment.bank;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.payment.OtherServicesStub;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The bank test with Redis stopped half-way: payments go on under database locks alone, stay exact, and the
 * service reports it (readiness data, metrics).
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServicesStub.class)
@TestProfile(RedisStoppingBank.OwnRedis.class)
class BankWithRedisStoppedTest extends RedisStoppingBank {
    BankWithRedisStoppedTest(Pool pool, MeterRegistry metrics) {
        super(pool, metrics);
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
