package io.membercard.settlement;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.util.HashMap;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * WireMock in place of payment-service for settlement-service's own tests: each test says what the ledger holds
 * ({@code /internal/service/shopdays} and its {@code /first}) through WireMock's admin API. The whole flow against
 * the real payment-service runs in the system tests.
 */
public class Ledger implements QuarkusTestResourceLifecycleManager {
    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort());
        server.start();
        Map<String, String> config = new HashMap<>();
        config.put("membercard.services.payment-service", "http://127.0.0.1:" + server.port());
        config.put("membercard.test.wiremock-port", Integer.toString(server.port()));
        config.put("membercard.settlement.answer-within", "5s");
        config.put("membercard.settlement.event-lag", "1s");
        config.put("membercard.settlement.lease", "3s");
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
}
