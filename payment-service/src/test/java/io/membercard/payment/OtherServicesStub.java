package io.membercard.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.util.HashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * WireMock on a free port in place of card-service, member-service and the outbox's subscribers, for this
 * service's own tests. (The system tests run the real services.) Tests add stubs through {@link Stubs}.
 */
public class OtherServicesStub implements QuarkusTestResourceLifecycleManager {
    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort());
        server.start();
        server.stubFor(post(urlEqualTo("/internal/service/events")).atPriority(10)
                .willReturn(aResponse().withStatus(204)));
        String url = "http://127.0.0.1:" + server.port();
        Map<String, String> config = new HashMap<>();
        config.put("membercard.services.card-service", url);
        config.put("membercard.services.member-service", url);
        config.put("membercard.services.wechat-gateway", url);
        config.put("membercard.services.settlement-service", url);
        config.put("membercard.test.wiremock-port", Integer.toString(server.port()));
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
