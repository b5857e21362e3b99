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

import io.membercard.common.events.OutboxDispatcher;
import io.membercard.common.testing.AuthTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Every balance change is an event, delivered at least once to every subscriber, retried until it gets through. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServicesStub.class)
class OutboxTest {
    private final OutboxDispatcher dispatcher;
    private final Pool pool;

    OutboxTest(OutboxDispatcher dispatcher, Pool pool) {
        this.dispatcher = dispatcher;
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
                select count(*) from outbox_event e join outbox_cursor c on e.id > c.last_event_id
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
}
