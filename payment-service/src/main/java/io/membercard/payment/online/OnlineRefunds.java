package io.membercard.payment.online;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.membercard.common.config.CommonConfig;
import io.membercard.payment.config.PaymentConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * Refunds through the online channels a recharge was paid with: WeChat Pay (API v3, {@code POST
 * /v3/refund/domestic/refunds}) and Alipay ({@code alipay.trade.refund}). Requests are signed with the merchant's
 * key (SHA256withRSA); answers are checked against the channel's public key when one is configured. A refund
 * number is used once per part, so a retry never refunds twice: the channels answer a repeated number with the
 * first refund.
 */
@ApplicationScoped
public class OnlineRefunds {
    private static final Logger LOG = Logger.getLogger(OnlineRefunds.class);
    private static final String WECHAT_PATH = "/v3/refund/domestic/refunds";
    private static final DateTimeFormatter ALIPAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final WebClient http;
    private final ObjectMapper mapper;
    private final PaymentConfig.WeChatPay wechat;
    private final PaymentConfig.Alipay alipay;
    private final SecureRandom random = new SecureRandom();
    /** The refund call runs under the card's lock: it must end well before the lock can expire. */
    private final long timeoutMs;

    public OnlineRefunds(Vertx vertx, ObjectMapper mapper, PaymentConfig config, CommonConfig common) {
        this.timeoutMs = Math.max(500, common.lock().ttl().toMillis() * 3 / 5);
        this.http = WebClient.create(vertx);
        this.mapper = mapper;
        this.wechat = config.wechatPay();
        this.alipay = config.alipay();
    }

    /** Whether money of {@code paymentType} goes back through an online channel (WeChat 3, Alipay 4). */
    public static boolean isOnline(int paymentType) {
        return paymentType == 3 || paymentType == 4;
    }

    /** Sends {@code refund} back through the channel of {@code paymentType}; fails with 702 or 703. */
    public Uni<Void> refund(int paymentType, OnlineRefund refund) {
        return switch (paymentType) {
            case 3 -> wechat(refund);
            case 4 -> alipay(refund);
            default -> Uni.createFrom().failure(new IllegalArgumentException("not an online payment type"));
        };
    }

    private Uni<Void> wechat(OnlineRefund refund) {
        if (wechat.mchId().isEmpty() || wechat.privateKey().isEmpty() || wechat.serialNo().isEmpty()) {
            return Uni.createFrom().failure(OnlineRefundException.refused("WeChat Pay", "not configured"));
        }
        ObjectNode request = mapper.createObjectNode().put("out_trade_no", refund.orderNo())
                .put("out_refund_no", refund.refundNo());
        request.putObject("amount").put("refund", cents(refund.money())).put("total", cents(refund.total()))
                .put("currency", "CNY");
        String body = request.toString();
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String nonce = nonce();
        PrivateKey key = Signatures.privateKey(wechat.privateKey().get());
        String signature = Signatures.sign(key, "POST\n" + WECHAT_PATH + "\n" + timestamp + "\n" + nonce + "\n"
                + body + "\n");
        String authorization = "WECHATPAY2-SHA256-RSA2048 mchid=\"" + wechat.mchId().get() + "\",nonce_str=\""
                + nonce + "\",signature=\"" + signature + "\",timestamp=\"" + timestamp + "\",serial_no=\""
                + wechat.serialNo().get() + "\"";
        return http.postAbs(wechat.url() + WECHAT_PATH).timeout(timeoutMs)
                .putHeader("Authorization", authorization).putHeader("Content-Type", "application/json")
                .putHeader("Accept", "application/json")
                .sendBuffer(Buffer.buffer(body))
                .onFailure().transform(e -> OnlineRefundException.unknown("WeChat Pay", e.getMessage()))
                .map(response -> {
                    String answer = response.bodyAsString() == null ? "" : response.bodyAsString();
                    if (response.statusCode() >= 500) {
                        throw OnlineRefundException.unknown("WeChat Pay", "HTTP " + response.statusCode());
                    }
                    JsonNode json = read(answer, "WeChat Pay");
                    if (response.statusCode() != 200) {
                        throw OnlineRefundException.refused("WeChat Pay",
                                json.path("code").asText() + " " + json.path("message").asText());
                    }
                    verifyWeChat(response, answer);
                    String status = json.path("status").asText();
                    if (!"SUCCESS".equals(status) && !"PROCESSING".equals(status)) {
                        throw OnlineRefundException.refused("WeChat Pay", "status " + status);
                    }
                    LOG.infof("WeChat Pay refund %s of order %s: %s (%s)", refund.refundNo(), refund.orderNo(),
                            refund.money(), status);
                    return null;
                });
    }

    private void verifyWeChat(HttpResponse<Buffer> response, String answer) {
        if (wechat.platformPublicKey().isEmpty()) {
            return;
        }
        String message = response.getHeader("Wechatpay-Timestamp") + "\n" + response.getHeader("Wechatpay-Nonce")
                + "\n" + answer + "\n";
        String signature = response.getHeader("Wechatpay-Signature");
        PublicKey key = Signatures.publicKey(wechat.platformPublicKey().get());
        if (signature == null || !Signatures.verify(key, message, signature)) {
            throw OnlineRefundException.unknown("WeChat Pay", "the answer's signature does not match");
        }
    }

    private Uni<Void> alipay(OnlineRefund refund) {
        if (alipay.appId().isEmpty() || alipay.privateKey().isEmpty()) {
            return Uni.createFrom().failure(OnlineRefundException.refused("Alipay", "not configured"));
        }
        Map<String, String> params = new TreeMap<>();
        params.put("app_id", alipay.appId().get());
        params.put("method", "alipay.trade.refund");
        params.put("format", "JSON");
        params.put("charset", "utf-8");
        params.put("sign_type", "RSA2");
        params.put("timestamp", ALIPAY_TIME.format(ZonedDateTime.now(ZoneId.of("Asia/Shanghai"))));
        params.put("version", "1.0");
        params.put("biz_content", mapper.createObjectNode().put("out_trade_no", refund.orderNo())
                .put("refund_amount", refund.money().toPlainString()).put("out_request_no", refund.refundNo())
                .toString());
        String content = params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
        params.put("sign", Signatures.sign(Signatures.privateKey(alipay.privateKey().get()), content));
        String form = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return http.postAbs(alipay.url()).timeout(timeoutMs)
                .putHeader("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
                .sendBuffer(Buffer.buffer(form))
                .onFailure().transform(e -> OnlineRefundException.unknown("Alipay", e.getMessage()))
                .map(response -> {
                    if (response.statusCode() != 200) {
                        throw OnlineRefundException.unknown("Alipay", "HTTP " + response.statusCode());
                    }
                    String answer = response.bodyAsString() == null ? "" : response.bodyAsString();
                    JsonNode json = read(answer, "Alipay");
                    JsonNode result = json.path("alipay_trade_refund_response");
                    verifyAlipay(answer, json.path("sign").asText(null));
                    if (!"10000".equals(result.path("code").asText())) {
                        throw OnlineRefundException.refused("Alipay", result.path("sub_code").asText(
                                result.path("code").asText()) + " " + result.path("sub_msg").asText(""));
                    }
                    LOG.infof("Alipay refund %s of order %s: %s", refund.refundNo(), refund.orderNo(), refund.money());
                    return null;
                });
    }

    /** Alipay signs the text of its answer's response object, exactly as sent. */
    private void verifyAlipay(String answer, String signature) {
        if (alipay.alipayPublicKey().isEmpty()) {
            return;
        }
        String signed = objectText(answer, "\"alipay_trade_refund_response\":");
        PublicKey key = Signatures.publicKey(alipay.alipayPublicKey().get());
        if (signature == null || signed == null || !Signatures.verify(key, signed, signature)) {
            throw OnlineRefundException.unknown("Alipay", "the answer's signature does not match");
        }
    }

    /** The JSON object that follows {@code label} in {@code text}, as it stands there. */
    static String objectText(String text, String label) {
        int at = text.indexOf(label);
        if (at < 0) {
            return null;
        }
        int start = text.indexOf('{', at + label.length());
        int depth = 0;
        boolean quoted = false;
        for (int i = start; i >= 0 && i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' && text.charAt(i - 1) != '\\') {
                quoted = !quoted;
            } else if (!quoted && c == '{') {
                depth++;
            } else if (!quoted && c == '}' && --depth == 0) {
                return text.substring(start, i + 1);
            }
        }
        return null;
    }

    private JsonNode read(String answer, String channel) {
        try {
            return mapper.readTree(answer.isEmpty() ? "{}" : answer);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw OnlineRefundException.unknown(channel, "unreadable answer");
        }
    }

    private static long cents(BigDecimal money) {
        return money.movePointRight(2).longValueExact();
    }

    private String nonce() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes).toUpperCase();
    }
}
