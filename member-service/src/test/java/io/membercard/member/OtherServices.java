package io.membercard.member;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.util.HashMap;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * WireMock in place of card-service and payment-service for member-service's own tests. By default card-service
 * issues every card asked for (a card with the member's id as its id, the requested code or {@code V<memberId>}),
 * payment-service knows no account and takes every event. Tests change answers through WireMock's admin API on
 * {@code membercard.test.wiremock-port} ({@link #wiremock()}).
 */
public class OtherServices implements QuarkusTestResourceLifecycleManager {
    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().globalTemplating(true));
        server.start();
        defaults(new WireMock("127.0.0.1", server.port()));
        String url = "http://127.0.0.1:" + server.port();
        Map<String, String> config = new HashMap<>();
        config.put("membercard.services.card-service", url);
        config.put("membercard.services.payment-service", url);
        config.put("membercard.common.outbox.subscribers.payment-service.url", url);
        config.put("membercard.services.settlement-service", url);
        config.put("membercard.common.outbox.subscribers.settlement-service.url", url);
        config.put("membercard.common.outbox.every", "200ms");
        config.put("membercard.member.import-retry-wait", "10ms");
        config.put("membercard.test.wiremock-port", Integer.toString(server.port()));
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    public static WireMock wiremock() {
        return new WireMock("127.0.0.1",
                ConfigProvider.getConfig().getValue("membercard.test.wiremock-port", Integer.class));
    }

    /** Back to the default answers. */
    public static void reset() {
        WireMock wm = wiremock();
        wm.resetMappings();
        wm.resetRequests();
        defaults(wm);
    }

    /**
     * Back to the defaults, plus payment-service taking every opening balance (what an import posts): the start of
     * each import test.
     */
    public static void forImports() {
        reset();
        wiremock().register(post(urlPathEqualTo("/internal/service/accounts/openings")).atPriority(10)
                .willReturn(okJson("{\"status\":200,\"message\":\"\",\"data\":[]}")));
    }

    static void defaults(WireMock wm) {
        wm.register(post(urlPathEqualTo("/internal/service/cards/issue")).atPriority(10)
                .withHeader("Accept", containing("application/json")).willReturn(
                        okJson("""
                                {"status":200,"message":"","data":[{{#each (jsonPath request.body '$.items') as |item|}}\
                                {{#if @index}},{{/if}}{"key":"{{item.key}}","card":{"id":{{item.memberId}},\
                                "code":"{{#if item.cardCode}}{{item.cardCode}}{{else}}V{{item.memberId}}{{/if}}","status":2,\
                                "statusName":"正常","shopId":{{jsonPath request.body '$.shopId'}},"shopName":"Shop",\
                                "cardClassId":{{#if item.cardClassId}}{{item.cardClassId}}{{else}}1{{/if}},"cardClassName":"Gold",\
                                "sendMode":{{item.sendMode}},"memberId":{{item.memberId}},"writtenAt":"2026-11-20 10:00:00",\
                                "version":2,"pointsValidDays":365}}{{/each}}]}""")));
        wm.register(get(urlPathEqualTo("/internal/service/cards/by-member")).atPriority(10)
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":404,\"message\":\"card of member not found\"}")));
        wm.register(get(urlPathEqualTo("/internal/accounts/by-cards")).atPriority(10).willReturn(okJson("[]")));
        wm.register(post(urlPathEqualTo("/internal/service/events")).atPriority(10)
                .willReturn(aResponse().withStatus(204)));
    }
}
