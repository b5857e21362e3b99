package io.membercard.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.membercard.common.events.Outbox;
import io.membercard.common.events.OutboxDispatcher;
import io.membercard.common.testing.AuthTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/** Every balance change is an event, delivered at least once to every subscriber, retried until it gets through. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServicesStub.class)
class OutboxTest {
    private final OutboxDispatcher dispatcher;
    private final Outbox outbox;
    private final Pool pool;

    OutboxTest(OutboxDispatcher dispatcher, Outbox outbox, Pool pool) {
        this.dispatcher = dispatcher;
        this.outbox = outbox;
        this.pool = pool;
    }

    @BeforeEach
    void stubs() {
        Stubs.resetCardService();
        Stubs.unknownCardsByDefault();
    }

    /** Every event of the card that reached a subscriber, one entry per event per delivery. */
    private List<String> eventsOf(WireMock wm, String cardCode) {
        List<String> events = new java.util.ArrayList<>();
        for (LoggedRequest request : wm.find(postRequestedFor(urlEqualTo("/internal/service/events"))
                .withRequestBody(matchingJsonPath("$[?(@.payload.cardCode == '" + cardCode + "')]")))) {
            assertThat(request.getHeader("X-Service-Key")).isEqualTo("test-only-service-key");
            try {
                for (var event : new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(request.getBodyAsString())) {
                    if (cardCode.equals(event.path("payload").path("cardCode").asText())) {
                        events.add(event.toString());
                    }
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return events;
    }

    /** Events of the tenant that a subscriber has not taken yet, counted once per subscriber. */
    private long undelivered(long tenant) {
        return pool.preparedQuery("""
                select count(*) from outbox_event e join outbox_cursor c on e.seq is null or e.seq > c.last_seq
                where e.tenant_id = $1""").execute(Tuple.of(tenant)).await().indefinitely()
                .iterator().next().getLong(0);
    }

    @Test
    void eachChangeReachesEverySubscriberWithTheServiceKey() throws InterruptedException {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        till.recharge(card, "60").then().statusCode(200);
        till.pay(card, "E1", "10").then().statusCode(200);
        for (int i = 0; i < 50 && undelivered(till.tenant) > 0; i++) {
            dispatcher.deliverDue().await().indefinitely();
            Thread.sleep(50);
        }
        assertThat(undelivered(till.tenant)).isZero();
        List<String> events = eventsOf(Stubs.wiremock(), card.code());
        // two changes, three subscribers (member-service, wechat-gateway, settlement-service)
        assertThat(events).hasSize(6);
        assertThat(events).allSatisfy(e -> assertThat(e).contains("\"type\":\"account.changed\""));
        assertThat(events).anySatisfy(e -> assertThat(e).contains("\"kind\":\"PAYMENT\""));
        // Money travels with its two decimals.
        assertThat(Stubs.wiremock().find(postRequestedFor(urlEqualTo("/internal/service/events"))))
                .anySatisfy(r -> assertThat(r.getBodyAsString()).contains("\"cardCode\":\"" + card.code()
                        + "\",\"version\":2,\"actualBalance\":50.00"));
    }

    /** Events of the tenant that subscribers took (answered 2xx), by aggregate id, one per delivery. */
    private List<String> deliveredAggregates(long tenant) {
        List<String> seen = new java.util.ArrayList<>();
        for (var served : Stubs.wiremock().getServeEvents()) {
            if (!served.getRequest().getUrl().equals("/internal/service/events")
                    || served.getResponse().getStatus() / 100 != 2) {
                continue;
            }
            try {
                for (var event : new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(served.getRequest().getBodyAsString())) {
                    if (event.path("tenantId").asLong() == tenant) {
                        seen.add(event.path("aggregateId").asText());
                    }
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return seen;
    }

    /**
     * Runs the dispatcher (beside its own schedule, which may hold a subscriber's lease a moment) until the
     * subscribers took {@code copies} of each aggregate, for at most 10 s; answers what they took.
     */
    private List<String> deliverUntil(long tenant, int copies, String... aggregates) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        List<String> seen = deliveredAggregates(tenant);
        while (System.nanoTime() < deadline && !java.util.Arrays.stream(aggregates)
                .allMatch(a -> seen.stream().filter(a::equals).count() >= copies)) {
            dispatcher.deliverDue().await().indefinitely();
            seen.clear();
            seen.addAll(deliveredAggregates(tenant));
        }
        return seen;
    }

    /**
     * Y takes its transaction id first, X second; X writes event A, Y writes event B and commits; the dispatcher
     * runs; then X commits. Both events reach every subscriber.
     */
    @Test
    void anEventCommittedAfterALaterOneIsStillDelivered() {
        long tenant = Till.newTenant().tenant;
        SqlConnection y = pool.getConnection().await().indefinitely();
        SqlConnection x = pool.getConnection().await().indefinitely();
        try {
            Transaction ty = y.begin().await().indefinitely();
            y.query("select pg_current_xact_id()").execute().await().indefinitely();
            Transaction tx = x.begin().await().indefinitely();
            x.query("select pg_current_xact_id()").execute().await().indefinitely();
            outbox.append(x, tenant, "test.interleaved", "A", java.util.Map.of("n", 1)).await().indefinitely();
            outbox.append(y, tenant, "test.interleaved", "B", java.util.Map.of("n", 2)).await().indefinitely();
            ty.commit().await().indefinitely();
            assertThat(deliverUntil(tenant, 3, "B")).containsExactly("B", "B", "B");
            tx.commit().await().indefinitely();
            // three subscribers each got A and B
            assertThat(deliverUntil(tenant, 3, "A", "B")).containsExactlyInAnyOrder("A", "A", "A", "B", "B", "B");
        } finally {
            x.close().await().indefinitely();
            y.close().await().indefinitely();
        }
    }

    /** A transaction left open (in any schema of the database) does not hold back events committed meanwhile. */
    @Test
    void aLongTransactionElsewhereDoesNotStallDelivery() {
        long tenant = Till.newTenant().tenant;
        SqlConnection idle = pool.getConnection().await().indefinitely();
        try {
            Transaction open = idle.begin().await().indefinitely();
            idle.query("select pg_current_xact_id()").execute().await().indefinitely();
            pool.withTransaction(tx -> outbox.append(tx, tenant, "test.stall", "C", java.util.Map.of("n", 3)))
                    .await().indefinitely();
            assertThat(deliverUntil(tenant, 3, "C")).containsExactly("C", "C", "C");
            open.rollback().await().indefinitely();
        } finally {
            idle.close().await().indefinitely();
        }
    }

    @Test
    void aFailingSubscriberGetsTheEventAgainLater() throws InterruptedException {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        WireMock wm = Stubs.wiremock();
        wm.register(post(urlEqualTo("/internal/service/events")).atPriority(1).willReturn(aResponse().withStatus(503)));
        till.recharge(card, "60").then().statusCode(200);
        dispatcher.deliverDue().await().indefinitely();
        assertThat(undelivered(till.tenant)).isEqualTo(3);
        long failures = pool.preparedQuery("select min(failures) from outbox_cursor").execute().await()
                .indefinitely().iterator().next().getLong(0);
        assertThat(failures).isPositive();
        Stubs.resetCardService();
        pool.preparedQuery("update outbox_cursor set next_attempt_at = now()").execute().await().indefinitely();
        for (int i = 0; i < 50 && undelivered(till.tenant) > 0; i++) {
            dispatcher.deliverDue().await().indefinitely();
            Thread.sleep(50);
        }
        assertThat(undelivered(till.tenant)).isZero();
        assertThat(pool.preparedQuery("select max(failures) from outbox_cursor").execute().await().indefinitely()
                .iterator().next().getLong(0)).isZero();
    }

    /**
     * A subscriber that keeps refusing one event (its handler fails on it) gets it one at a time, then has it set
     * aside as a dead letter, visible to operators and in the metrics, and receives the events after it; once mended,
     * an operator sends the dead letter again.
     */
    @Test
    void anEventASubscriberKeepsRefusingIsSetAsideAndDeliveryGoesOn() {
        long tenant = Till.newTenant().tenant;
        String marker = "poison-" + java.util.UUID.randomUUID();
        WireMock wm = Stubs.wiremock();
        wm.register(post(urlEqualTo("/internal/service/events")).atPriority(1)
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(marker))
                .willReturn(aResponse().withStatus(500).withBody("{\"status\":500,\"message\":\"handler failed\"}")));
        String poison = pool.withTransaction(tx -> outbox.append(tx, tenant, "test.poison", "P",
                java.util.Map.of("marker", marker))).await().indefinitely();
        pool.withTransaction(tx -> outbox.append(tx, tenant, "test.after", "Q", java.util.Map.of("n", 1))).await()
                .indefinitely();
        for (int i = 0; i < 60 && deliveredAggregates(tenant).stream().filter("Q"::equals).count() < 3; i++) {
            pool.query("update outbox_cursor set next_attempt_at = now()").execute().await().indefinitely();
            dispatcher.deliverDue().await().indefinitely();
        }
        assertThat(deliveredAggregates(tenant)).filteredOn("Q"::equals).hasSize(3);
        String admin = io.membercard.common.testing.Tokens.tenant(1, "platform-admin").bearer();
        io.restassured.RestAssured.given().header("Authorization", admin).get("/admin/outbox/dead-letters").then()
                .statusCode(200).body("findAll { it.eventId == '" + poison + "' }.subscriber",
                        org.hamcrest.Matchers.containsInAnyOrder("member-service", "settlement-service",
                                "wechat-gateway"))
                .body("find { it.eventId == '" + poison + "' }.attempts", org.hamcrest.Matchers.equalTo(8));
        io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200).body(
                org.hamcrest.Matchers.containsString("membercard_outbox_dead_letters{subscriber=\"member-service\"}"));
        io.restassured.RestAssured.given().header("Authorization", admin).get("/admin/outbox").then().statusCode(200)
                .body("find { it.subscriber == 'member-service' }.deadLetters",
                        org.hamcrest.Matchers.greaterThanOrEqualTo(1));
        // Only operators see or resend dead letters.
        io.restassured.RestAssured.given()
                .header("Authorization", io.membercard.common.testing.Tokens.tenant(tenant, "admin").bearer())
                .get("/admin/outbox/dead-letters").then().statusCode(403);
        io.restassured.RestAssured.given()
                .header("Authorization", io.membercard.common.testing.Tokens.tenant(tenant, "admin").bearer())
                .get("/admin/outbox").then().statusCode(403);
        io.restassured.RestAssured.given().get("/admin/outbox/dead-letters").then().statusCode(401);
        io.restassured.RestAssured.given().queryParam("id", 1).post("/admin/outbox/dead-letters/retry").then()
                .statusCode(401);
        io.restassured.RestAssured.given().header("Authorization", admin).queryParam("limit", 0)
                .get("/admin/outbox/dead-letters").then().statusCode(400)
                .body("message", org.hamcrest.Matchers.startsWith("limit: "));
        io.restassured.RestAssured.given().header("Authorization", admin).queryParam("delivered", "maybe")
                .get("/admin/outbox/dead-letters").then().statusCode(400)
                .body("message", org.hamcrest.Matchers.startsWith("delivered: "));
        io.restassured.RestAssured.given().header("Authorization", admin).queryParam("id", "x")
                .post("/admin/outbox/dead-letters/retry").then().statusCode(400);
        io.restassured.RestAssured.given().header("Authorization", admin).queryParam("id", Long.MAX_VALUE)
                .post("/admin/outbox/dead-letters/retry").then().statusCode(404);

        Stubs.resetCardService();
        List<Long> letters = pool.preparedQuery("select id from outbox_dead_letter where event_id = $1::uuid")
                .execute(Tuple.of(poison)).await().indefinitely().stream().map(r -> r.getLong(0)).toList();
        for (long id : letters) {
            io.restassured.RestAssured.given().header("Authorization", admin).queryParam("id", id)
                    .post("/admin/outbox/dead-letters/retry").then().statusCode(200);
        }
        dispatcher.deliverDue().await().indefinitely();
        assertThat(pool.preparedQuery("select count(*) from outbox_dead_letter where event_id = $1::uuid"
                + " and delivered_at is not null").execute(Tuple.of(poison)).await().indefinitely().iterator().next()
                .getLong(0)).isEqualTo(3);
    }
}
