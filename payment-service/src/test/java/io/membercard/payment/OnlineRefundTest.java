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
    static final String API_V3_KEY = "0123456789abcdefghijKLMNOPQRSTuv";
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

    /** An answer as WeChat Pay gives it: signed with its key over timestamp, nonce and body (or not). */
    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder wechatAnswer(int status,
            String body, boolean signed) {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String nonce = "5K8264ILTKCH16CQ2502SI8ZNMTM67VS";
        String signature = signed ? ChannelKeys.signAsChannel(timestamp + "\n" + nonce + "\n" + body + "\n") : "bogus";
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withHeader("Wechatpay-Timestamp", timestamp).withHeader("Wechatpay-Nonce", nonce)
                .withHeader("Wechatpay-Signature", signature).withBody(body);
    }

    /** WeChat Pay's answer to refunds. */
    private static void wechatAnswers(int status, String body, boolean signed) {
        Stubs.wiremock().register(post(urlEqualTo(WECHAT)).atPriority(1).willReturn(wechatAnswer(status, body,
                signed)));
    }

    /** A recharge of {@code money} paid by {@code paymentType} alone, under code {@code rc}; answers the details
     * that refund it all along that payment. */
    private static String rechargedBy(Till till, Stubs.Card card, String rc, String money, int paymentType) {
        till.recharge(till.cashier, rc, card, "{" + card(card) + ",\"payMoney\":" + money + ",\"details\":[{"
                + "\"paymentType\":" + paymentType + ",\"money\":" + money + "}]}").then().statusCode(200);
        return "[{\"recordId\":" + recordOf(till, card, 0) + ",\"money\":" + money + "}]";
    }

    /** Alipay's answer to queries of a refund (alipay.trade.fastpay.refund.query). */
    private static void alipayQueryAnswers(String response) {
        Stubs.wiremock().register(post(urlEqualTo(ALIPAY)).atPriority(0)
                .withRequestBody(WireMock.containing("alipay.trade.fastpay.refund.query"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json;charset=utf-8")
                        .withBody("{\"alipay_trade_fastpay_refund_query_response\":" + response + ",\"sign\":\""
                                + ChannelKeys.signAsChannel(response) + "\"}")));
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
        wechatAnswers(200, "{\"refund_id\":\"50000000382019052709732678859\",\"out_refund_no\":\"RR\",\"status\":"
                + "\"SUCCESS\",\"amount\":{\"refund\":7000,\"total\":7000,\"currency\":\"CNY\"}}", true);
        refundOnline(till, card, "RF-W", rc, "[{\"recordId\":" + cash + ",\"money\":30},{\"recordId\":" + wechat
                + ",\"money\":70}]").statusCode(200).body("status", equalTo(200))
                .body("data.paymentType", equalTo(3)).body("data.timestamp", equalTo("2"));
        assertThat(till.balance(card)).isEqualByComparingTo("0.00");

        List<LoggedRequest> sent = Stubs.wiremock().find(postRequestedFor(urlEqualTo(WECHAT)));
        LoggedRequest request = sent.get(sent.size() - 1);
        // The refund number belongs to the recharge's WeChat payment, whatever the bill.
        assertThat(request.getBodyAsString()).matches("\\{\"out_trade_no\":\"" + rc + "\",\"out_refund_no\":\"RR[0-9]+P"
                + wechat + "\",\"amount\":\\{\"refund\":7000,\"total\":7000,\"currency\":\"CNY\"}}");
        String authorization = request.getHeader("Authorization");
        assertThat(authorization).startsWith("WECHATPAY2-SHA256-RSA2048 mchid=\"1900000109\"");
        Map<String, String> parts = java.util.Arrays.stream(authorization.substring(authorization.indexOf(' ') + 1)
                .split(",")).map(p -> p.split("=", 2)).collect(Collectors.toMap(p -> p[0],
                        p -> p[1].replace("\"", "")));
        assertThat(ChannelKeys.signedByMerchant("POST\n" + WECHAT + "\n" + parts.get("timestamp") + "\n"
                + parts.get("nonce_str") + "\n" + request.getBodyAsString() + "\n", parts.get("signature"))).isTrue();
    }

    /**
     * An unknown answer (a server error, an unsigned answer) leaves the refund pending with the money held off the
     * card; asking again with the same bill settles it once WeChat Pay says so. A foreign tenant's till sees nothing.
     */
    @Test
    void anUnknownAnswerIs703AndTheSameBillSettlesItLater() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        String rc = "RC-X-" + card.id();
        String details = rechargedBy(till, card, rc, "50", 3);
        long wechat = recordOf(till, card, 0);
        wechatAnswers(500, "{\"code\":\"SYSTEM_ERROR\"}", true);
        refundOnline(till, card, "RF-X", rc, details).statusCode(200).body("status", equalTo(703))
                .body("message", startsWith("WeChat Pay has not confirmed the refund of 50.00 yet"));
        assertThat(till.balance(card)).isEqualByComparingTo("0");
        wechatQueryAnswers("{\"status\":\"SUCCESS\"}");
        var unsigned = Stubs.wiremock().register(WireMock.get(WireMock.urlPathMatching(WECHAT + "/.+")).atPriority(0)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"SUCCESS\"}")));
        refundOnline(till, card, "RF-X", rc, details).body("status", equalTo(703))
                .body("message", startsWith("WeChat Pay has not confirmed the refund of 50.00 yet (UNKNOWN the answer's"
                        + " signature does not match"));
        // Another tenant's till knows no such recharge, and nothing is sent to WeChat Pay for it.
        int sentBefore = Stubs.wiremock().find(postRequestedFor(urlEqualTo(WECHAT))).size();
        refundOnline(Till.newTenant(), card, "RF-X", rc, details).statusCode(200).body("status", equalTo(802));
        assertThat(Stubs.wiremock().find(postRequestedFor(urlEqualTo(WECHAT)))).hasSize(sentBefore);
        Stubs.wiremock().removeStubMapping(unsigned);
        refundOnline(till, card, "RF-X", rc, details).statusCode(200).body("status", equalTo(200))
                .header("Idempotent-Replayed", "true");
        assertThat(wechatRefundNumbers(rc)).hasSize(1).allSatisfy(n -> assertThat(n).endsWith("P" + wechat));
        assertThat(till.balance(card)).isEqualByComparingTo("0.00");
    }

    /**
     * A refusal, once a query shows WeChat Pay has no refund under the number, is final: the recharge refund is undone
     * (702: the card is as it was), and the recharge can be refunded again later, under a new refund number.
     */
    @Test
    void aConfirmedRefusalIs702AndUndoesTheRefund() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        String rc = "RC-N-" + card.id();
        till.recharge(till.manager, rc, card, "{" + card(card) + ",\"payMoney\":50,\"giveMoney\":5,\"details\":[{"
                + "\"paymentType\":3,\"money\":50}]}").then().statusCode(200);
        String details = "[{\"recordId\":" + recordOf(till, card, 0) + ",\"money\":50}]";
        wechatAnswers(403, "{\"code\":\"NOT_ENOUGH\",\"message\":\"基本账户余额不足\"}", true);
        // A query that fails says nothing: the refusal stays unconfirmed, the refund pending.
        Stubs.wiremock().register(WireMock.get(WireMock.urlPathMatching(WECHAT + "/.+")).atPriority(1)
                .willReturn(wechatAnswer(403, "{\"code\":\"NO_AUTH\",\"message\":\"无权限\"}", true)));
        refundOnline(till, card, "RF-N", rc, details).statusCode(200).body("status", equalTo(703));
        assertThat(till.balance(card)).isEqualByComparingTo("0");
        Stubs.wiremock().register(WireMock.get(WireMock.urlPathMatching(WECHAT + "/.+")).atPriority(1)
                .willReturn(wechatAnswer(404, "{\"code\":\"RESOURCE_NOT_EXISTS\",\"message\":\"退款单不存在\"}",
                        true)));
        refundOnline(till, card, "RF-N", rc, details).statusCode(200).body("status", equalTo(702))
                .body("message", startsWith("WeChat Pay did not pay the refund of 50.00 back (NOT_ENOUGH"));
        assertThat(till.balance(card)).as("money and bonus are back").isEqualByComparingTo("55.00");
        refundOnline(till, card, "RF-N", rc, details).body("status", equalTo(702));
        // Once the merchant's account is topped up, the recharge is refunded under a new number.
        wechatAnswers(200, "{\"status\":\"SUCCESS\"}", true);
        refundOnline(till, card, "RF-N2", rc, details).statusCode(200).body("status", equalTo(200));
        assertThat(till.balance(card)).isEqualByComparingTo("0");
        assertThat(wechatRefundNumbers(rc)).hasSize(2).anySatisfy(n -> assertThat(n).endsWith("N2"));
        Reconciliation.fullPass();
        given().header("Authorization", io.membercard.common.testing.Tokens.tenant(till.tenant, "admin").bearer())
                .get("/api/member/cardpay/reconcile").then().body("mismatches.size()", equalTo(0));
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
        assertThat(form.get("biz_content")).matches("\\{\"out_trade_no\":\"" + rc + "\",\"refund_amount\":\"20.50\","
                + "\"out_request_no\":\"RR[0-9]+P" + alipay + "\"}");
        String signature = form.remove("sign");
        String content = form.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
        assertThat(ChannelKeys.signedByMerchant(content, signature)).isTrue();

        Stubs.Card other = Stubs.activeCard();
        String rc2 = "RC-A2-" + other.id();
        till.recharge(till.cashier, rc2, other, "{" + card(other) + ",\"payMoney\":10,\"details\":[{"
                + "\"paymentType\":4,\"money\":10}]}").then().statusCode(200);
        String notExist = "{\"code\":\"40004\",\"msg\":\"Business Failed\",\"sub_code\":\"ACQ.TRADE_NOT_EXIST\","
                + "\"sub_msg\":\"交易不存在\"}";
        alipayAnswers(notExist);
        alipayQueryAnswers(notExist);
        refundOnline(till, other, "RF-A2", rc2, "[{\"recordId\":" + recordOf(till, other, 0) + ",\"money\":10}]")
                .body("status", equalTo(702)).body("message", startsWith("Alipay did not pay the refund of 10.00 back"
                        + " (ACQ.TRADE_NOT_EXIST"));
        assertThat(till.balance(other)).isEqualByComparingTo("10.00");
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

    /** Every refund number the till's refunds of recharge {@code rc} sent to WeChat Pay. */
    private static List<String> wechatRefundNumbers(String rc) {
        return Stubs.wiremock().find(postRequestedFor(urlEqualTo(WECHAT))).stream()
                .filter(r -> r.getBodyAsString().contains("\"out_trade_no\":\"" + rc + "\""))
                .map(r -> r.getBodyAsString().replaceAll(".*\"out_refund_no\":\"([^\"]+)\".*", "$1")).distinct()
                .toList();
    }

    /** WeChat Pay's answer to queries of a refund. */
    private static void wechatQueryAnswers(String body) {
        Stubs.wiremock().register(WireMock.get(WireMock.urlPathMatching(WECHAT + "/.+")).atPriority(1)
                .willReturn(wechatAnswer(200, body, true)));
    }

    /**
     * WeChat Pay answers after the till gave up: the card holds the refund meanwhile, a second refund of the recharge
     * under a new bill is refused, and the first is settled by asking WeChat Pay with the same refund number.
     */
    @Test
    void aTimeoutThenALateSuccessPaysBackOnce() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        String rc = "RC-T-" + card.id();
        String details = rechargedBy(till, card, rc, "50", 3);
        String success = "{\"status\":\"SUCCESS\",\"amount\":{\"refund\":5000,\"total\":5000}}";
        Stubs.wiremock().register(post(urlEqualTo(WECHAT)).atPriority(1).willReturn(wechatAnswer(200, success, true)
                .withFixedDelay(4_000)));
        refundOnline(till, card, "RF-T1", rc, details).statusCode(200).body("status", equalTo(703));
        assertThat(till.balance(card)).as("the card holds the refund while it is pending").isEqualByComparingTo("0");
        wechatAnswers(200, success, true);
        wechatQueryAnswers(success);
        refundOnline(till, card, "RF-T2", rc, details).statusCode(200).body("status", equalTo(803));
        refundOnline(till, card, "RF-T1", rc, details).statusCode(200).body("status", equalTo(200))
                .body("data.paymentType", equalTo(3));
        assertThat(wechatRefundNumbers(rc)).hasSize(1);
        assertThat(till.balance(card)).isEqualByComparingTo("0");
    }

    /** PROCESSING is not success: when WeChat Pay then ends the refund abnormally, the card gets the money back. */
    @Test
    void processingThenAFailureCreditsTheCardBack() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        String rc = "RC-PF-" + card.id();
        String details = rechargedBy(till, card, rc, "50", 3);
        wechatAnswers(200, "{\"status\":\"PROCESSING\"}", true);
        refundOnline(till, card, "RF-PF", rc, details).statusCode(200).body("status", equalTo(703));
        assertThat(till.balance(card)).isEqualByComparingTo("0");
        wechatQueryAnswers("{\"status\":\"ABNORMAL\"}");
        refundOnline(till, card, "RF-PF", rc, details).statusCode(200).body("status", equalTo(702));
        assertThat(till.balance(card)).as("the money never reached the customer: it is back on the card")
                .isEqualByComparingTo("50.00");
        refundOnline(till, card, "RF-PF", rc, details).statusCode(200).body("status", equalTo(702));
        assertThat(till.balance(card)).isEqualByComparingTo("50.00");
        assertThat(wechatRefundNumbers(rc)).hasSize(1);
    }

    /** Alipay's 20000 (ACQ.SYSTEM_ERROR) means "unknown, ask again with the same number", never "refused". */
    @Test
    void alipaysSystemErrorStaysPendingUntilAlipaySaysItRefunded() {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        String rc = "RC-AS-" + card.id();
        String details = rechargedBy(till, card, rc, "20", 4);
        alipayAnswers("{\"code\":\"20000\",\"msg\":\"Service Currently Unavailable\",\"sub_code\":"
                + "\"ACQ.SYSTEM_ERROR\",\"sub_msg\":\"系统错误\"}");
        refundOnline(till, card, "RF-AS", rc, details).statusCode(200).body("status", equalTo(703));
        assertThat(till.balance(card)).isEqualByComparingTo("0");
        alipayQueryAnswers("{\"code\":\"10000\",\"msg\":\"Success\",\"out_trade_no\":\"" + rc
                + "\",\"refund_amount\":\"20.00\",\"total_amount\":\"20.00\",\"refund_status\":\"REFUND_SUCCESS\"}");
        refundOnline(till, card, "RF-AS", rc, details).statusCode(200).body("status", equalTo(200))
                .body("data.paymentType", equalTo(4));
        assertThat(till.balance(card)).isEqualByComparingTo("0");
        assertThat(Stubs.wiremock().find(postRequestedFor(urlEqualTo(ALIPAY))).stream()
                .map(r -> URLDecoder.decode(r.getBodyAsString(), StandardCharsets.UTF_8))
                .filter(b -> b.contains("\"out_trade_no\":\"" + rc + "\"") && b.contains("out_request_no"))
                .map(b -> b.replaceAll(".*\"out_request_no\":\"([^\"]+)\".*", "$1")).distinct()).hasSize(1);
    }

    /** A notification as WeChat Pay sends it: the refund encrypted with the API v3 key, the whole signed. */
    private static ValidatableResponse notify(String refundNo, String status, boolean signed) throws Exception {
        String plain = "{\"mchid\":\"1900000109\",\"out_refund_no\":\"" + refundNo + "\",\"refund_status\":\""
                + status + "\",\"amount\":{\"refund\":5000,\"total\":5000}}";
        String nonce = "fdasflkja484";
        javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(
                API_V3_KEY.getBytes(StandardCharsets.UTF_8), "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, nonce.getBytes(StandardCharsets.UTF_8)));
        cipher.updateAAD("refund".getBytes(StandardCharsets.UTF_8));
        String ciphertext = java.util.Base64.getEncoder().encodeToString(cipher.doFinal(plain.getBytes(
                StandardCharsets.UTF_8)));
        String body = "{\"id\":\"EV-018\",\"create_time\":\"2026-12-01T10:00:00+08:00\",\"resource_type\":"
                + "\"encrypt-resource\",\"event_type\":\"REFUND." + status + "\",\"summary\":\"退款成功\","
                + "\"resource\":{\"original_type\":\"refund\",\"algorithm\":\"AEAD_AES_256_GCM\",\"ciphertext\":\""
                + ciphertext + "\",\"associated_data\":\"refund\",\"nonce\":\"" + nonce + "\"}}";
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String signature = signed ? ChannelKeys.signAsChannel(timestamp + "\n" + nonce + "\n" + body + "\n") : "x";
        return given().contentType(ContentType.JSON).header("Wechatpay-Timestamp", timestamp)
                .header("Wechatpay-Nonce", nonce).header("Wechatpay-Signature", signature)
                .header("Wechatpay-Serial", "PUB_KEY_ID_0114232").body(body)
                .post("/api/member/recharge/refundnotify/wechatpay").then();
    }

    /** WeChat Pay's notification settles a pending refund; one not signed by WeChat Pay changes nothing. */
    @Test
    void wechatPaysNotificationSettlesAPendingRefund() throws Exception {
        Till till = Till.newTenant();
        Stubs.Card card = Stubs.activeCard();
        String rc = "RC-NT-" + card.id();
        String details = rechargedBy(till, card, rc, "50", 3);
        wechatAnswers(200, "{\"status\":\"PROCESSING\"}", true);
        refundOnline(till, card, "RF-NT", rc, details).statusCode(200).body("status", equalTo(703));
        String refundNo = wechatRefundNumbers(rc).get(0);
        notify(refundNo, "ABNORMAL", false).statusCode(401);
        // Signed, but not a notification: refused naming what is missing, and nothing changes.
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        given().contentType(ContentType.JSON).header("Wechatpay-Timestamp", timestamp).header("Wechatpay-Nonce", "n1")
                .header("Wechatpay-Signature", ChannelKeys.signAsChannel(timestamp + "\nn1\n{}\n")).body("{}")
                .post("/api/member/recharge/refundnotify/wechatpay").then().statusCode(400)
                .body("message", startsWith("resource: "));
        assertThat(till.balance(card)).isEqualByComparingTo("0");
        notify(refundNo, "SUCCESS", true).statusCode(204);
        notify(refundNo, "SUCCESS", true).statusCode(204);
        notify("RR-NOT-OURS", "SUCCESS", true).statusCode(204);
        // Settled: the till's retry reads it without asking WeChat Pay (which still says PROCESSING).
        refundOnline(till, card, "RF-NT", rc, details).statusCode(200).body("status", equalTo(200));
        assertThat(till.balance(card)).isEqualByComparingTo("0");
        notify(refundNo, "ABNORMAL", true).statusCode(204);
        assertThat(till.balance(card)).as("a late contrary notification changes nothing").isEqualByComparingTo("0");
    }
}
