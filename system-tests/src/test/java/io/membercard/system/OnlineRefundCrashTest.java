package io.membercard.system;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.membercard.system.Platform.as;
import static io.membercard.system.Platform.eventually;
import static io.membercard.system.Platform.newTenant;
import static io.membercard.system.Platform.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.restassured.http.ContentType;

/**
 * An online recharge refund through the gateway, with payment-service killed after WeChat Pay took the refund and
 * before payment-service heard back: the card was debited before the call, the refund stays pending across the
 * crash, and once payment-service is back its check job asks WeChat Pay again with the same refund number. The
 * customer is paid back once, the card shows it once. WeChat Pay is a WireMock sandbox on the port tools/dev points
 * payment-service at, signing its answers with the sandbox key tools/dev made.
 */
class OnlineRefundCrashTest {
    private static final String REFUNDS = "/v3/refund/domestic/refunds";
    private WireMockServer wechatPay;

    @BeforeEach
    void sandbox() {
        wechatPay = new WireMockServer(wireMockConfig().port(Integer.parseInt(System.getProperty("system.wechatpay"))));
        wechatPay.start();
    }

    @AfterEach
    void stop() {
        wechatPay.stop();
    }

    private void answers(String body, int delayMs) {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String nonce = "SANDBOXNONCE";
        String signature = sign(timestamp + "\n" + nonce + "\n" + body + "\n");
        wechatPay.stubFor(post(urlEqualTo(REFUNDS)).willReturn(aResponse().withStatus(200).withFixedDelay(delayMs)
                .withHeader("Content-Type", "application/json").withHeader("Wechatpay-Timestamp", timestamp)
                .withHeader("Wechatpay-Nonce", nonce).withHeader("Wechatpay-Signature", signature).withBody(body)));
        wechatPay.stubFor(get(urlPathMatching(REFUNDS + "/.+")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader("Wechatpay-Timestamp", timestamp)
                .withHeader("Wechatpay-Nonce", nonce).withHeader("Wechatpay-Signature", signature).withBody(body)));
    }

    /** Signs as the sandbox: SHA256withRSA with the key tools/dev keeps in its secrets. */
    private static String sign(String message) {
        try {
            String pem = Files.readString(Path.of(System.getProperty("system.secrets"), "wechatpay-platform.pem"));
            byte[] der = Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----|\\s", ""));
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(message.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign as the WeChat Pay sandbox", e);
        }
    }

    @Test
    void aCrashBetweenWeChatPaysSuccessAndOursPaysBackOnce() {
        long tenant = newTenant();
        String manager = token(tenant, null, "manager");
        String cashier = token(tenant, 3L, "cashier");
        long cardClass = as(manager).contentType(ContentType.JSON).body("{\"name\":\"Online\",\"cardType\":4,"
                + "\"canRecharge\":true,\"pointsBasic\":1,\"pointsToOne\":100}")
                .post("/api/member/membercardclass/save").then().statusCode(200).extract().jsonPath().getLong("data");
        long order = as(manager).contentType(ContentType.JSON).queryParam("shopid", 3)
                .body("{\"memberCardClassId\":" + cardClass + ",\"startCode\":\"W0001\",\"expectCount\":1}")
                .post("/api/member/membercard/batchcreate").then().statusCode(200).extract().jsonPath().getLong("data");
        long detail = as(cashier).queryParam("id", order).get("/api/member/membercard/getcreateorder").then()
                .extract().jsonPath().getLong("details[0].id");
        String mac = Platform.mac("wx-" + tenant);
        as(cashier).contentType(ContentType.JSON).body("{\"orderId\":" + order + ",\"id\":" + detail + ",\"mac\":\""
                + mac + "\"}").post("/api/member/membercard/writecard").then().body("status", equalTo(200));
        String card = "\"cardCode\":\"W0001\",\"mac\":\"" + mac + "\"";
        String rechargeCode = "RCW-" + tenant;
        as(cashier).contentType(ContentType.JSON).header("Idempotency-Key", rechargeCode)
                .body("{" + card + ",\"payMoney\":50,\"details\":[{\"paymentType\":3,\"money\":50}]}")
                .post("/api/member/recharge/recharge").then().statusCode(200).body("status", equalTo(200));
        long record = as(cashier).queryParam("cardCode", "W0001").get("/api/member/recharge/getrefundoriginal")
                .then().statusCode(200).extract().jsonPath().getLong("details[0].recordId");
        String refund = "{" + card + ",\"billNo\":\"RFW-" + tenant + "\",\"rechargeCode\":\"" + rechargeCode
                + "\",\"details\":[{\"recordId\":" + record + ",\"money\":50}]}";

        // WeChat Pay takes the refund at once and answers 3 s later; payment-service dies in between.
        answers("{\"status\":\"SUCCESS\",\"amount\":{\"refund\":5000,\"total\":5000,\"currency\":\"CNY\"}}", 3_000);
        CompletableFuture<Integer> till = CompletableFuture.supplyAsync(() -> as(cashier)
                .contentType(ContentType.JSON).body(refund).post("/api/member/recharge/refundonline").then()
                .extract().statusCode());
        assertThat(eventually(() -> !wechatPay.findAll(postRequestedFor(urlEqualTo(REFUNDS))).isEmpty())).isTrue();
        Platform.kill("payment-service");
        assertThat(till.join()).as("the till lost its answer").isNotEqualTo(200);
        Platform.restart();

        // The check job settles it by itself, asking with the same number; the till's retry then reads it.
        assertThat(eventually(() -> as(cashier).contentType(ContentType.JSON).body(refund)
                .post("/api/member/recharge/refundonline").then().extract().jsonPath().getInt("status") == 200))
                .isTrue();
        List<String> numbers = wechatPay.findAll(postRequestedFor(urlEqualTo(REFUNDS))).stream()
                .map(r -> r.getBodyAsString().replaceAll(".*\"out_refund_no\":\"([^\"]+)\".*", "$1")).distinct()
                .toList();
        assertThat(numbers).hasSize(1);
        as(cashier).queryParam("cardCode", "W0001").queryParam("mac", mac).get("/api/member/membercard/get").then()
                .statusCode(200).body("balance", equalTo(0.0f));
        assertThat(Platform.reconciled(token(tenant, null, "admin")).getList("mismatches")).isEmpty();
    }
}
