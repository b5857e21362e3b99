package io.membercard.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
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

    private List<LoggedRequest> eventsOf(WireMock wm, String cardCode) {
        return wm.find(postRequestedFor(urlEqualTo("/internal/service/events"))
                .withRequestBody(matchingJsonPath("$.payload.cardCode", equalTo(cardCode))));
    }

    private long undelivered(long tenant) {
        return pool.preparedQuery("""
                select count(*) from outbox_delivery d join outbox_event e on e.id = d.event_id
                where e.tenant_id = $1 and d.delivered_at is null""").execute(Tuple.of(tenant)).await().indefinitely()
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
        List<LoggedRequest> events = eventsOf(Stubs.wiremock(), card.code());
        // two changes, three subscribers (member-service, wechat-gateway, settlement-service)
        assertThat(events).hasSize(6);
        assertThat(events).allSatisfy(e -> assertThat(e.getHeader("X-Service-Key")).isEqualTo("test-only-service-key"));
        assertThat(events).anySatisfy(e -> assertThat(e.getBodyAsString()).contains("\"type\":\"account.changed\"")
                .contains("\"kind\":\"PAYMENT\"").contains("\"actualBalance\":50.00"));
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
        Stubs.resetCardService();
        pool.preparedQuery("""
                update outbox_delivery set next_attempt_at = now() where delivered_at is null and event_id in
                (select id from outbox_event where tenant_id = $1)""").execute(Tuple.of(till.tenant))
                .await().indefinitely();
        for (int i = 0; i < 50 && undelivered(till.tenant) > 0; i++) {
            dispatcher.deliverDue().await().indefinitely();
            Thread.sleep(50);
        }
        assertThat(undelivered(till.tenant)).isZero();
        long attempts = pool.preparedQuery("""
                select min(attempts) from outbox_delivery d join outbox_event e on e.id = d.event_id
                where e.tenant_id = $1""").execute(Tuple.of(till.tenant)).await().indefinitely().iterator().next()
                .getLong(0);
        assertThat(attempts).isGreaterThanOrEqualTo(2);
    }
}
