package io.membercard.common.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.Test;

/**
 * What operators and integrators rely on from every service: liveness, readiness that includes PostgreSQL and
 * Redis, Prometheus metrics, and the API description. A service's test extends it as a {@code @QuarkusTest}.
 */
public abstract class PlatformEndpointsContract {

    /** Paths the service's OpenAPI document must list (none for a service with no API yet). */
    protected String[] documentedPaths() {
        return new String[0];
    }

    @Test
    void livenessAndReadinessIncludeTheDatabaseAndRedis() {
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
        var response = given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("openapi", org.hamcrest.Matchers.startsWith("3."));
        for (String path : documentedPaths()) {
            response.body(containsString(path));
        }
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void unknownPathsAnswerTheEnvelope() {
        given().get("/api/nothing/here").then().statusCode(404).body("status", equalTo(404));
    }
}
