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
        // WeChat Pay and Alipay, with keys made for this run (see ChannelKeys).
        config.put("membercard.payment.wechat-pay.url", url);
        config.put("membercard.payment.wechat-pay.mch-id", "1900000109");
        config.put("membercard.payment.wechat-pay.serial-no", "5157F09EFDC096DE15EBE81A47057A7232F1B8E1");
        config.put("membercard.payment.wechat-pay.private-key", ChannelKeys.merchantPrivate());
        config.put("membercard.payment.wechat-pay.platform-public-key", ChannelKeys.channelPublic());
        config.put("membercard.payment.alipay.url", url + "/gateway.do");
        config.put("membercard.payment.alipay.app-id", "2014072300007148");
        config.put("membercard.payment.alipay.private-key", ChannelKeys.merchantPrivate());
        config.put("membercard.payment.alipay.alipay-public-key", ChannelKeys.channelPublic());
        config.put("membercard.payment.wechat-pay.api-v3-key", OnlineRefundTest.API_V3_KEY);
        // A channel that answers later than this leaves the refund pending (the timeout tests wait this long).
        config.put("membercard.payment.online-refund.timeout", "2s");
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
