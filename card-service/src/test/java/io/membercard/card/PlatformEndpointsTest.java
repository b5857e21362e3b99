package io.membercard.card;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** What operators and integrators rely on: health with its dependencies, metrics, the API description. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class PlatformEndpointsTest {

    @Test
    void healthChecksIncludeTheDatabaseAndRedis() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems(containsString("Reactive PostgreSQL"), containsString("Redis")));
    }

    @Test
    void metricsAreExposedForPrometheus() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void theApiIsDescribed() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/member/membercard/batchcreate"))
                .body(containsString("/api/member/membercardclass/getlist"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
