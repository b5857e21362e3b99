package io.membercard.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.membercard.common.testing.AuthTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/** S1-26: a recharge refund whose WeChat or Alipay part goes back through that channel (WireMock plays both). */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServicesStub.class)
class OnlineRefundTest {
    private static final String WECHAT = "/v3/refund/domestic/refunds";
    private static final String ALIPAY = "/gateway.do";
    private final CircuitBreakerMaintenance breakers;

    OnlineRefundTest(CircuitBreakerMaintenance breakers) {
        this.breakers = breakers;
    }

    @BeforeEach
    void stubs() {
        Stubs.resetCardService();
        Stubs.unknownCardsByDefault();
        breakers.resetAll();
    }

    private static void wechatAnswers(int status, String body, boolean signed) {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String nonce = "5K8264ILTKCH16CQ2502SI8ZNMTM67VS";
        String signature = signed ? ChannelKeys.signAsChannel(timestamp + "\n" + nonce + "\n" + body + "\n") : "bogus";
        Stubs.wiremock().register(post(urlEqualTo(WECHAT)).atPriority(1).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withHeader("Wechatpay-Timestamp", timestamp)
                .withHeader("Wechatpay-Nonce", nonce).withHeader("Wechatpay-Signature", signature).withBody(body)));
    }

    private static void alipayAnswers(String response) {
        String body = "{\"alipay_trade_refund_response\":" + response + ",\"sign\":\""
                + ChannelKeys.signAsChannel(response) + "\"}";
        Stubs.wiremock().register(post(urlEqualTo(ALIPAY)).atPriority(1).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json;charset=utf-8").withBody(body)));
    }

    private static String card(Stubs.Card card) {
        return "\"cardCode\":\"" + card.code() + "\",\"mac\":\"" + card.mac() + "\"";
    }

    private static long recordOf(Till till, Stubs.Card card, int index) {
        return given().header("Authorization", till.cashier).queryParam("cardCode", card.code())
                .get("/api/member/recharge/getrefundoriginal").then().statusCode(200).extract().jsonPath()
                .getLong("details[" + index + "].recordId");
    }

    private static ValidatableResponse refundOnline(Till till, Stubs.Card card, String bill, String rechargeCode,
            String details) {
        return given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                .body("{" + card(card) + ",\"billNo\":\"" + bill + "\",\"rechargeCode\":\"" + rechargeCode
                        + "\",\"details\":" + details + "}")
                .post("/api/member/recharge/refundonline").then();
    }

    @Test
    void theWeChatPartGoesBackThroughWeChatPayThenTheCardChanges() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        String rc = "RC-W-" + card.id();
        till.recharge(till.cashier, rc, card, "{" + card(card) + ",\"payMoney\":100,\"details\":[{\"paymentType\":1,"
                + "\"money\":30},{\"paymentType\":3,\"money\":70}]}").then().statusCode(200);
        long cash = recordOf(till, card, 0);
        long wechat = recordOf(till, card, 1);
        wechatAnswers(200, "{\"refund_id\":\"50000000382019052709732678859\",\"out_refund_no\":\"RF-W-" + wechat
                + "\",\"status\":\"PROCESSING\",\"amount\":{\"refund\":7000,\"total\":7000,\"currency\":\"CNY\"}}",
                true);
        refundOnline(till, card, "RF-W", rc, "[{\"recordId\":" + cash + ",\"money\":30},{\"recordId\":" + wechat
                + ",\"money\":70}]").statusCode(200).body("status", equalTo(200))
                .body("data.paymentType", equalTo(3)).body("data.timestamp", equalTo("2"));
        assertThat(till.balance(card)).isEqualByComparingTo("0.00");

        List<LoggedRequest> sent = Stubs.wiremock().find(postRequestedFor(urlEqualTo(WECHAT)));
        LoggedRequest request = sent.get(sent.size() - 1);
        assertThat(request.getBodyAsString()).isEqualTo("{\"out_trade_no\":\"" + rc + "\",\"out_refund_no\":\"RF-W-"
                + wechat + "\",\"amount\":{\"refund\":7000,\"total\":7000,\"currency\":\"CNY\"}}");
        String authorization = request.getHeader("Authorization");
        assertThat(authorization).startsWith("WECHATPAY2-SHA256-RSA2048 mchid=\"1900000109\"");
        Map<String, String> parts = java.util.Arrays.stream(authorization.substring(authorization.indexOf(' ') + 1)
                .split(",")).map(p -> p.split("=", 2)).collect(Collectors.toMap(p -> p[0],
                        p -> p[1].replace("\"", "")));
        assertThat(ChannelKeys.signedByMerchant("POST\n" + WECHAT + "\n" + parts.get("timestamp") + "\n"
                + parts.get("nonce_str") + "\n" + request.getBodyAsString() + "\n", parts.get("signature"))).isTrue();
    }

    @Test
    void aRefusalIs702AndAnUnknownAnswerIs703AndNeitherChangesTheCard() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        String rc = "RC-X-" + card.id();
        till.recharge(till.cashier, rc, card, "{" + card(card) + ",\"payMoney\":50,\"details\":[{\"paymentType\":3,"
                + "\"money\":50}]}").then().statusCode(200);
        long wechat = recordOf(till, card, 0);
        String details = "[{\"recordId\":" + wechat + ",\"money\":50}]";
        wechatAnswers(403, "{\"code\":\"NOT_ENOUGH\",\"message\":\"基本账户余额不足\"}", true);
        refundOnline(till, card, "RF-X", rc, details).statusCode(200).body("status", equalTo(702))
                .body("message", startsWith("WeChat Pay refused the refund (NOT_ENOUGH"));
        wechatAnswers(500, "{\"code\":\"SYSTEM_ERROR\"}", true);
        refundOnline(till, card, "RF-X", rc, details).body("status", equalTo(703));
        wechatAnswers(200, "{\"status\":\"SUCCESS\"}", false);
        refundOnline(till, card, "RF-X", rc, details).body("status", equalTo(703))
                .body("message", startsWith("WeChat Pay did not confirm the refund (the answer's signature"));
        assertThat(till.balance(card)).isEqualByComparingTo("50.00");
        // Another tenant's till knows no such recharge, and nothing is sent to WeChat Pay for it.
        int sentBefore = Stubs.wiremock().find(postRequestedFor(urlEqualTo(WECHAT))).size();
        refundOnline(Till.newTenant(), card, "RF-X", rc, details).statusCode(200).body("status", equalTo(802));
        assertThat(Stubs.wiremock().find(postRequestedFor(urlEqualTo(WECHAT)))).hasSize(sentBefore);
        // The retry under the same bill sends the same refund number, so WeChat Pay refunds once.
        wechatAnswers(200, "{\"status\":\"SUCCESS\"}", true);
        refundOnline(till, card, "RF-X", rc, details).statusCode(200).body("status", equalTo(200));
        assertThat(Stubs.wiremock().find(postRequestedFor(urlEqualTo(WECHAT))).stream()
                .filter(r -> r.getBodyAsString().contains("\"out_trade_no\":\"" + rc + "\""))
                .map(r -> r.getBodyAsString().replaceAll(".*\"out_refund_no\":\"([^\"]+)\".*", "$1")).distinct())
                .containsExactly("RF-X-" + wechat);
        assertThat(till.balance(card)).isEqualByComparingTo("0.00");
        refundOnline(till, card, "RF-X", rc, details).statusCode(200).header("Idempotent-Replayed", "true");
    }

    @Test
    void theAlipayPartGoesBackThroughAlipay() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        String rc = "RC-A-" + card.id();
        till.recharge(till.cashier, rc, card, "{" + card(card) + ",\"payMoney\":20.5,\"details\":[{\"paymentType\":4,"
                + "\"money\":20.5}]}").then().statusCode(200);
        long alipay = recordOf(till, card, 0);
        String details = "[{\"recordId\":" + alipay + ",\"money\":20.5}]";
        alipayAnswers("{\"code\":\"40004\",\"msg\":\"Business Failed\",\"sub_code\":\"ACQ.TRADE_NOT_EXIST\","
                + "\"sub_msg\":\"交易不存在\"}");
        refundOnline(till, card, "RF-A", rc, details).body("status", equalTo(702))
                .body("message", startsWith("Alipay refused the refund (ACQ.TRADE_NOT_EXIST"));
        alipayAnswers("{\"code\":\"10000\",\"msg\":\"Success\",\"trade_no\":\"2014112611001004680073956707\","
                + "\"out_trade_no\":\"" + rc + "\",\"fund_change\":\"Y\",\"refund_fee\":\"20.50\"}");
        refundOnline(till, card, "RF-A", rc, details).statusCode(200).body("data.paymentType", equalTo(4));
        assertThat(till.balance(card)).isEqualByComparingTo("0.00");

        LoggedRequest request = Stubs.wiremock().find(postRequestedFor(urlEqualTo(ALIPAY))).stream()
                .filter(r -> r.getBodyAsString().contains(rc)).reduce((a, b) -> b).orElseThrow();
        Map<String, String> form = new TreeMap<>();
        for (String pair : request.getBodyAsString().split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        assertThat(form).containsEntry("method", "alipay.trade.refund").containsEntry("sign_type", "RSA2")
                .containsEntry("app_id", "2014072300007148");
        assertThat(form.get("biz_content")).isEqualTo("{\"out_trade_no\":\"" + rc + "\",\"refund_amount\":\"20.50\","
                + "\"out_request_no\":\"RF-A-" + alipay + "\"}");
        String signature = form.remove("sign");
        String content = form.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
        assertThat(ChannelKeys.signedByMerchant(content, signature)).isTrue();
    }

    @Test
    void anOnlineRefundNeedsExactlyOneOnlinePart() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        String rc = "RC-O-" + card.id();
        till.recharge(till.cashier, rc, card, "{" + card(card) + ",\"payMoney\":30,\"details\":[{\"paymentType\":3,"
                + "\"money\":10},{\"paymentType\":4,\"money\":10},{\"paymentType\":1,\"money\":10}]}").then()
                .statusCode(200);
        long wechat = recordOf(till, card, 0);
        long alipay = recordOf(till, card, 1);
        long cash = recordOf(till, card, 2);
        refundOnline(till, card, "RF-O", rc, "[{\"recordId\":" + wechat + ",\"money\":10},{\"recordId\":" + alipay
                + ",\"money\":10},{\"recordId\":" + cash + ",\"money\":10}]").statusCode(400)
                .body("message", startsWith("details: refundonline sends back one online part"));
        Stubs.Card other = Stubs.activeCard();
        String rc2 = "RC-P-" + other.id();
        till.recharge(till.cashier, rc2, other, "{" + card(other) + ",\"payMoney\":10,\"details\":[{\"paymentType\":1,"
                + "\"money\":10}]}").then().statusCode(200);
        refundOnline(till, other, "RF-P", rc2, "[{\"recordId\":" + recordOf(till, other, 0) + ",\"money\":10}]")
                .statusCode(400).body("message", equalTo("details: have no WeChat or Alipay part: use refundoriginal"));
        WireMock wm = Stubs.wiremock();
        assertThat(wm.find(postRequestedFor(urlEqualTo(WECHAT))).stream()
                .filter(r -> r.getBodyAsString().contains(rc))).isEmpty();
        assertThat(till.balance(card)).isEqualByComparingTo("30.00");
    }
}
