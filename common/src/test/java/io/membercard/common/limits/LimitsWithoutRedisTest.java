package io.membercard.common.limits;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Concurrently;
import io.membercard.common.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Without Redis, requests a second cannot be counted and go through (the gateway's limits still hold), while
 * quotas and heavy jobs fail closed: nothing is done that could not be counted.
 */
@QuarkusTest
@TestProfile(LimitsWithoutRedisTest.NoRedis.class)
@QuarkusTestResource(AuthTestResource.class)
class LimitsWithoutRedisTest {

    /** Redis at a port nobody listens on. */
    public static class NoRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:1", "quarkus.redis.timeout", "1s");
        }
    }

    @Test
    void requestsGoThroughUncountedButQuotasAndJobsAreRefused() {
        long tenant = 4_242;
        FixedLimitSource.set(tenant, Limit.REQUESTS_PER_SECOND, 1);
        Map<Integer, Long> codes = Concurrently.counted(10, n -> given()
                .header("Authorization", Tokens.cashier(tenant, 1)).get("/probe/whoami").statusCode());
        assertThat(codes).containsOnlyKeys(200);
        String manager = Tokens.manager(tenant);
        given().header("Authorization", manager).queryParam("count", 1).post("/probe/limits/cards").then()
                .statusCode(500).body("status", equalTo(500)).body("message", equalTo("daily limits cannot be "
                        + "counted at the moment; nothing was done, try again in a minute"));
        given().header("Authorization", manager).queryParam("name", "import:1").post("/probe/limits/job").then()
                .statusCode(500).body("message", equalTo("heavy jobs cannot be counted at the moment; nothing was "
                        + "done, try again in a minute"));
    }
}
