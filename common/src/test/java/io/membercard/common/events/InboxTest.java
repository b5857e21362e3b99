package io.membercard.common.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Events from other services are taken once each, however often they are delivered, and only with the key. */
@QuarkusTest
class InboxTest {
    private static final String KEY = "test-only-service-key";
    private final Pool pool;

    InboxTest(Pool pool) {
        this.pool = pool;
    }

    private static String event(String id) {
        return "{\"eventId\":\"" + id + "\",\"tenantId\":7,\"type\":\"account.changed\",\"aggregateId\":\"1\","
                + "\"occurredAt\":\"2026-11-23 10:00:00\",\"payload\":{\"balance\":1.00}}";
    }

    private long stored(String... ids) {
        return pool.preparedQuery("select count(*) from inbox_event where event_id::text = any($1)")
                .execute(Tuple.of(ids)).await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void aBatchIsTakenOnceAndItsRedeliveryChangesNothing() {
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        String batch = "[" + event(a) + "," + event(b) + "]";
        given().header("X-Service-Key", KEY).contentType(ContentType.JSON).body(batch)
                .post("/internal/service/events").then().statusCode(204);
        given().header("X-Service-Key", KEY).contentType(ContentType.JSON).body(batch)
                .post("/internal/service/events").then().statusCode(204);
        assertThat(stored(a, b)).isEqualTo(2);
    }

    @Test
    void onlyServicesWithTheKeyDeliverAndEventsMustBeWhole() {
        String a = UUID.randomUUID().toString();
        given().contentType(ContentType.JSON).body("[" + event(a) + "]").post("/internal/service/events").then()
                .statusCode(401).body("status", equalTo(401));
        given().header("X-Service-Key", "guess").contentType(ContentType.JSON).body("[" + event(a) + "]")
                .post("/internal/service/events").then().statusCode(401);
        given().header("X-Service-Key", KEY).contentType(ContentType.JSON).body("[{\"type\":\"x\"}]")
                .post("/internal/service/events").then().statusCode(400)
                .body("message", equalTo("[0].tenantId: is required"));
        given().header("X-Service-Key", KEY).contentType(ContentType.JSON)
                .body("[" + event("not-a-uuid") + "]").post("/internal/service/events").then().statusCode(400)
                .body("message", equalTo("[0].eventId: must be a UUID"));
        assertThat(stored(a)).isZero();
    }
}
