package io.membercard.common.limits;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Concurrently;
import io.membercard.common.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** A tenant's requests a second to one service: all its users together, refused before the endpoint runs. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class RequestRateTest {

    private static long newTenant() {
        return ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);
    }

    /** Waits for the start of a clock second, so that a burst falls into one window. */
    private static void startOfASecond() throws InterruptedException {
        Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 5);
    }

    @Test
    void aTenantOverItsRequestsASecondIsRefusedWith429WhateverItsUsers() throws Exception {
        long tenant = newTenant();
        FixedLimitSource.set(tenant, Limit.REQUESTS_PER_SECOND, 3);
        // Its limits are read once and kept: the burst below does not wait for them.
        given().header("Authorization", Tokens.manager(tenant)).get("/probe/manager-only").then().statusCode(200);
        startOfASecond();
        List<Response> answers = Concurrently.run(24, n -> given()
                .header("Authorization", Tokens.tenant(tenant, "cashier").shop(1).user("u" + n, "till " + n).bearer())
                .get("/probe/whoami"));
        List<Integer> codes = answers.stream().map(Response::statusCode).toList();
        // One window of three, two if the burst straddles a second.
        assertThat(codes.stream().filter(c -> c == 200).count()).isBetween(3L, 6L);
        assertThat(codes.stream().filter(c -> c != 200)).allMatch(c -> c == 429);
        Response refused = answers.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.jsonPath().getInt("status")).isEqualTo(429);
        assertThat(refused.jsonPath().getString("message")).isEqualTo("too many requests: this tenant may send 3 "
                + "requests a second to the common-test (limit requestsPerSecond); nothing was done, try again in a "
                + "second");
        assertThat(refused.jsonPath().getString("tenantId")).isNull();

        // Another tenant, at the same moment, is not held back; nor are requests without a token counted.
        long other = newTenant();
        Map<Integer, Long> others = Concurrently.counted(20, n -> given()
                .header("Authorization", Tokens.cashier(other, 1)).get("/probe/whoami").statusCode());
        assertThat(others).containsOnlyKeys(200);
        given().get("/probe/whoami").then().statusCode(401).body("status", equalTo(401));

        // The next second, the tenant is served again.
        startOfASecond();
        given().header("Authorization", Tokens.cashier(tenant, 1)).get("/probe/whoami").then().statusCode(200);
    }

    @Test
    void aRefusedRequestChangesNothing() throws Exception {
        long tenant = newTenant();
        FixedLimitSource.set(tenant, Limit.REQUESTS_PER_SECOND, 1);
        FixedLimitSource.set(tenant, Limit.BATCH_CARDS_PER_DAY, 1_000);
        String manager = Tokens.manager(tenant);
        given().header("Authorization", manager).get("/probe/manager-only").then().statusCode(200);
        startOfASecond();
        List<Integer> codes = Concurrently.run(10, n -> given().header("Authorization", manager)
                .queryParam("count", 1).post("/probe/limits/cards").statusCode());
        long passed = codes.stream().filter(c -> c == 200).count();
        assertThat(passed).isBetween(1L, 2L);
        startOfASecond();
        given().header("Authorization", manager).queryParam("count", 1_000 - passed).post("/probe/limits/cards")
                .then().statusCode(200);
    }
}
