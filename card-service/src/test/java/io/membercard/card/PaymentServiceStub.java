package io.membercard.card;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * WireMock in place of payment-service and member-service for this service's own tests: every card's account has
 * never moved unless a test registers figures or answers (through WireMock's admin API on
 * {@code membercard.test.wiremock-port}), events are accepted, and no tenant has limits of its own.
 */
public class PaymentServiceStub implements QuarkusTestResourceLifecycleManager {
    static final String NO_ACCOUNT = "{\"totalRecharge\":0.00,\"actualRecharge\":0.00,\"giveRecharge\":0.00,"
            + "\"totalExpense\":0.00,\"actualExpense\":0.00,\"giveExpense\":0.00,\"balance\":0.00,"
            + "\"actualBalance\":0.00,\"giveBalance\":0.00,\"totalPoints\":0,\"actualPoints\":0,\"usedPoints\":0,"
            + "\"pointsDisabledDate\":null,\"timestamp\":\"0\"}";
    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort());
        server.start();
        server.stubFor(get(urlPathEqualTo("/internal/accounts/by-card")).atPriority(10).willReturn(okJson(NO_ACCOUNT)));
        server.stubFor(post(urlPathEqualTo("/internal/service/events")).atPriority(10)
                .willReturn(aResponse().withStatus(204)));
        // member-service: no tenant has limits of its own unless a test gives it some (the platform defaults).
        server.stubFor(get(urlPathEqualTo("/internal/service/limits")).atPriority(10)
                .willReturn(okJson("{\"status\":200,\"message\":\"\",\"data\":[]}")));
        String url = "http://127.0.0.1:" + server.port();
        return Map.of("membercard.services.payment-service", url, "membercard.services.member-service", url,
                "membercard.common.outbox.subscribers.member-service.url", url, "membercard.common.outbox.every",
                "200ms", "membercard.test.wiremock-port", Integer.toString(server.port()));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
