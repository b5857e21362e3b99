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

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.payment.config.PaymentConfig;
import io.membercard.payment.online.ChannelAnswer.Outcome;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * Refunds through the online channels a recharge was paid with: WeChat Pay (API v3: {@code POST
 * /v3/refund/domestic/refunds}, {@code GET /v3/refund/domestic/refunds/{out_refund_no}}) and Alipay
 * ({@code alipay.trade.refund}, {@code alipay.trade.fastpay.refund.query}). Requests are signed with the merchant's
 * key (SHA256withRSA); answers are checked against the channel's public key when one is configured. Every call
 * answers a {@link ChannelAnswer}: a channel's refusal, a timeout or a garbled answer is an outcome, never an
 * exception, and only the channel's explicit word ends a refund.
 */
@ApplicationScoped
public class OnlineRefunds {
    private static final Logger LOG = Logger.getLogger(OnlineRefunds.class);
    private static final String WECHAT_PATH = "/v3/refund/domestic/refunds";
    private static final String ALIPAY_REFUND = "alipay.trade.refund";
    private static final String ALIPAY_QUERY = "alipay.trade.fastpay.refund.query";
    private static final DateTimeFormatter ALIPAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final WebClient http;
    private final ObjectMapper mapper;
    private final PaymentConfig.WeChatPay wechat;
    private final PaymentConfig.Alipay alipay;
    private final SecureRandom random = new SecureRandom();
    private final long timeoutMs;

    public OnlineRefunds(Vertx vertx, ObjectMapper mapper, PaymentConfig config) {
        this.timeoutMs = config.onlineRefund().timeout().toMillis();
        this.http = WebClient.create(vertx);
        this.mapper = mapper;
        this.wechat = config.wechatPay();
        this.alipay = config.alipay();
    }

    /** Whether money of {@code paymentType} goes back through an online channel (WeChat 3, Alipay 4). */
    public static boolean isOnline(int paymentType) {
        return paymentType == 3 || paymentType == 4;
    }

    /** The channel's name, for messages. */
    public static String channel(int paymentType) {
        return paymentType == 3 ? "WeChat Pay" : "Alipay";
    }

    /** Whether the channel of {@code paymentType} is configured here (a refund through it can be sent at all). */
    public boolean configured(int paymentType) {
        return paymentType == 3
                ? wechat.mchId().isPresent() && wechat.privateKey().isPresent() && wechat.serialNo().isPresent()
                : alipay.appId().isPresent() && alipay.privateKey().isPresent();
    }

    /** Asks the channel of {@code paymentType} to pay {@code refund} back. */
    public Uni<ChannelAnswer> submit(int paymentType, OnlineRefund refund) {
        return paymentType == 3 ? wechatSubmit(refund) : alipaySubmit(refund);
    }

    /** Asks the channel of {@code paymentType} where {@code refund} stands. */
    public Uni<ChannelAnswer> query(int paymentType, OnlineRefund refund) {
        return paymentType == 3 ? wechatQuery(refund) : alipayQuery(refund);
    }

    // --- WeChat Pay -------------------------------------------------------------------------------------------

    private Uni<ChannelAnswer> wechatSubmit(OnlineRefund refund) {
        ObjectNode request = mapper.createObjectNode().put("out_trade_no", refund.orderNo())
                .put("out_refund_no", refund.refundNo());
        wechat.notifyUrl().ifPresent(url -> request.put("notify_url", url));
        request.putObject("amount").put("refund", cents(refund.money())).put("total", cents(refund.total()))
                .put("currency", "CNY");
        String body = request.toString();
        return wechatCall(http.postAbs(wechat.url() + WECHAT_PATH), "POST", WECHAT_PATH, body, refund, false);
    }

    private Uni<ChannelAnswer> wechatQuery(OnlineRefund refund) {
        String path = WECHAT_PATH + "/" + URLEncoder.encode(refund.refundNo(), StandardCharsets.UTF_8);
        return wechatCall(http.getAbs(wechat.url() + path), "GET", path, "", refund, true);
    }

    private Uni<ChannelAnswer> wechatCall(HttpRequest<Buffer> request, String method, String path, String body,
            OnlineRefund refund, boolean query) {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String nonce = nonce();
        PrivateKey key = Signatures.privateKey(wechat.privateKey().orElseThrow());
        String signature = Signatures.sign(key, method + "\n" + path + "\n" + timestamp + "\n" + nonce + "\n" + body
                + "\n");
        String authorization = "WECHATPAY2-SHA256-RSA2048 mchid=\"" + wechat.mchId().orElseThrow()
                + "\",nonce_str=\"" + nonce + "\",signature=\"" + signature + "\",timestamp=\"" + timestamp
                + "\",serial_no=\"" + wechat.serialNo().orElseThrow() + "\"";
        request.timeout(timeoutMs).putHeader("Authorization", authorization).putHeader("Accept", "application/json");
        Uni<HttpResponse<Buffer>> sent = body.isEmpty()
                ? request.send()
                : request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body));
        return sent.map(response -> wechatAnswer(response, query))
                .onFailure().recoverWithItem(e -> ChannelAnswer.of(Outcome.UNKNOWN, "no answer: " + e.getMessage()))
                .invoke(answer -> LOG.infof("WeChat Pay refund %s of order %s (%s): %s %s", refund.refundNo(),
                        refund.orderNo(), refund.money(), answer.outcome(), answer.detail()));
    }

    /**
     * WeChat Pay's answer: 200 with {@code status} SUCCESS (paid back), PROCESSING (not yet), CLOSED or ABNORMAL
     * (will not be paid back); 404 RESOURCE_NOT_EXISTS to a query (never received); 429 and 5xx mean "try again";
     * any other 4xx is a refusal of the request.
     */
    private ChannelAnswer wechatAnswer(HttpResponse<Buffer> response, boolean query) {
        String answer = response.bodyAsString() == null ? "" : response.bodyAsString();
        int status = response.statusCode();
        if (status >= 500 || status == 429) {
            return ChannelAnswer.of(Outcome.UNKNOWN, "HTTP " + status);
        }
        JsonNode json = read(answer);
        if (json == null) {
            return ChannelAnswer.of(Outcome.UNKNOWN, "unreadable answer (HTTP " + status + ")");
        }
        if (!wechatSigned(response, answer)) {
            return ChannelAnswer.of(Outcome.UNKNOWN, "the answer's signature does not match");
        }
        String code = json.path("code").asText();
        if (query && status != 200) {
            // A query's error tells nothing of the refund, unless WeChat Pay says there is none.
            return status == 404 && "RESOURCE_NOT_EXISTS".equals(code)
                    ? ChannelAnswer.of(Outcome.NOT_FOUND, code)
                    : ChannelAnswer.of(Outcome.UNKNOWN, "HTTP " + status + " " + code);
        }
        if (status != 200) {
            return "SYSTEM_ERROR".equals(code) || "FREQUENCY_LIMITED".equals(code)
                    ? ChannelAnswer.of(Outcome.UNKNOWN, code)
                    : ChannelAnswer.of(Outcome.REFUSED, code + " " + json.path("message").asText());
        }
        String refundStatus = json.path("status").asText();
        return switch (refundStatus) {
            case "SUCCESS" -> ChannelAnswer.of(Outcome.SUCCEEDED, refundStatus);
            case "PROCESSING" -> ChannelAnswer.of(Outcome.PENDING, refundStatus);
            case "CLOSED", "ABNORMAL" -> ChannelAnswer.of(Outcome.FAILED, "status " + refundStatus);
            default -> ChannelAnswer.of(Outcome.UNKNOWN, "status " + refundStatus);
        };
    }

    private boolean wechatSigned(HttpResponse<Buffer> response, String answer) {
        if (wechat.platformPublicKey().isEmpty()) {
            return true;
        }
        return Signatures.verifyWeChatPay(wechat.platformPublicKey().get(), response.getHeader("Wechatpay-Timestamp"),
                response.getHeader("Wechatpay-Nonce"), answer, response.getHeader("Wechatpay-Signature"));
    }

    /** A refund's number and what WeChat Pay's notification says of it. */
    public record Notified(String refundNo, ChannelAnswer answer) {
    }

    /**
     * Reads a WeChat Pay refund notification: checks its signature with WeChat Pay's key, decrypts its resource with
     * the API v3 key and answers the refund's number and state (REFUND.SUCCESS paid back; REFUND.CLOSED and
     * REFUND.ABNORMAL not paid back). 401 for a notification that is not WeChat Pay's; 500 when the keys to read one
     * are not configured (WeChat Pay sends it again later).
     */
    public Notified readWeChatNotification(String body, String timestamp, String nonce, String signature) {
        if (wechat.platformPublicKey().isEmpty() || wechat.apiV3Key().isEmpty()) {
            throw new IllegalStateException("WeChat Pay notifications need platform-public-key and api-v3-key");
        }
        if (!Signatures.verifyWeChatPay(wechat.platformPublicKey().get(), timestamp, nonce, body, signature)) {
            throw new ApiException(StatusCode.UNAUTHORIZED, "not signed by WeChat Pay");
        }
        JsonNode notification = read(body);
        JsonNode resource = notification == null ? null : notification.path("resource");
        if (resource == null || resource.path("ciphertext").isMissingNode()) {
            throw ApiException.badInput("resource", "is required");
        }
        JsonNode refund;
        try {
            refund = read(Signatures.decryptWeChatPay(wechat.apiV3Key().get(),
                    resource.path("associated_data").asText(null), resource.path("nonce").asText(),
                    resource.path("ciphertext").asText()));
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            throw new ApiException(StatusCode.UNAUTHORIZED, "the resource cannot be decrypted");
        }
        if (refund == null || refund.path("out_refund_no").asText("").isEmpty()) {
            throw ApiException.badInput("resource", "names no out_refund_no");
        }
        String status = refund.path("refund_status").asText();
        ChannelAnswer answer = switch (status) {
            case "SUCCESS" -> ChannelAnswer.of(Outcome.SUCCEEDED, "notified SUCCESS");
            case "CLOSED", "ABNORMAL" -> ChannelAnswer.of(Outcome.FAILED, "notified " + status);
            default -> ChannelAnswer.of(Outcome.PENDING, "notified " + status);
        };
        return new Notified(refund.path("out_refund_no").asText(), answer);
    }

    // --- Alipay -----------------------------------------------------------------------------------------------

    private Uni<ChannelAnswer> alipaySubmit(OnlineRefund refund) {
        String biz = mapper.createObjectNode().put("out_trade_no", refund.orderNo())
                .put("refund_amount", refund.money().toPlainString()).put("out_request_no", refund.refundNo())
                .toString();
        return alipayCall(ALIPAY_REFUND, biz, refund).map(result -> {
            if (result.outcome() != null) {
                return result.outcome();
            }
            JsonNode json = result.json();
            String code = json.path("code").asText();
            if ("10000".equals(code)) {
                // fund_change N: nothing moved this time (a repeat, or not done yet): ask before calling it paid.
                return "Y".equals(json.path("fund_change").asText())
                        ? ChannelAnswer.of(Outcome.SUCCEEDED, "10000")
                        : ChannelAnswer.of(Outcome.UNKNOWN, "10000 fund_change " + json.path("fund_change").asText());
            }
            return alipayFailure(json);
        }).invoke(answer -> LOG.infof("Alipay refund %s of order %s (%s): %s %s", refund.refundNo(),
                refund.orderNo(), refund.money(), answer.outcome(), answer.detail()));
    }

    private Uni<ChannelAnswer> alipayQuery(OnlineRefund refund) {
        String biz = mapper.createObjectNode().put("out_trade_no", refund.orderNo())
                .put("out_request_no", refund.refundNo()).toString();
        return alipayCall(ALIPAY_QUERY, biz, refund).map(result -> {
            if (result.outcome() != null) {
                return result.outcome();
            }
            JsonNode json = result.json();
            if (!"10000".equals(json.path("code").asText())) {
                // A query that fails tells nothing of the refund, except that there is no such trade.
                String subCode = json.path("sub_code").asText(json.path("code").asText());
                return ChannelAnswer.of("ACQ.TRADE_NOT_EXIST".equals(subCode) ? Outcome.NOT_FOUND : Outcome.UNKNOWN,
                        subCode);
            }
            // Alipay: a refund found with refund_status REFUND_SUCCESS (or none, for older answers) was paid back;
            // no refund found means it never happened, and may be sent again with the same number.
            String refundStatus = json.path("refund_status").asText("");
            if (json.path("refund_amount").isMissingNode() && refundStatus.isEmpty()) {
                return ChannelAnswer.of(Outcome.NOT_FOUND, "no refund " + refund.refundNo());
            }
            return refundStatus.isEmpty() || "REFUND_SUCCESS".equals(refundStatus)
                    ? ChannelAnswer.of(Outcome.SUCCEEDED, "REFUND_SUCCESS")
                    : ChannelAnswer.of(Outcome.UNKNOWN, refundStatus);
        });
    }

    /**
     * Alipay's 20000 and ACQ.SYSTEM_ERROR mean "unknown, ask again with the same number"; other codes refuse the
     * request.
     */
    private static ChannelAnswer alipayFailure(JsonNode json) {
        String code = json.path("code").asText();
        String subCode = json.path("sub_code").asText(code);
        if ("20000".equals(code) || "ACQ.SYSTEM_ERROR".equals(subCode)) {
            return ChannelAnswer.of(Outcome.UNKNOWN, code + " " + subCode);
        }
        return ChannelAnswer.of(Outcome.REFUSED, subCode + " " + json.path("sub_msg").asText(""));
    }

    /** A read Alipay answer's response object, or the outcome already decided (no answer, bad signature). */
    private record AlipayResult(JsonNode json, ChannelAnswer outcome) {
    }

    private Uni<AlipayResult> alipayCall(String method, String bizContent, OnlineRefund refund) {
        Map<String, String> params = new TreeMap<>();
        params.put("app_id", alipay.appId().orElseThrow());
        params.put("method", method);
        params.put("format", "JSON");
        params.put("charset", "utf-8");
        params.put("sign_type", "RSA2");
        params.put("timestamp", ALIPAY_TIME.format(ZonedDateTime.now(ZoneId.of("Asia/Shanghai"))));
        params.put("version", "1.0");
        params.put("biz_content", bizContent);
        String content = params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
        params.put("sign", Signatures.sign(Signatures.privateKey(alipay.privateKey().orElseThrow()), content));
        String form = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String label = "\"" + method.replace('.', '_') + "_response\":";
        return http.postAbs(alipay.url()).timeout(timeoutMs)
                .putHeader("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
                .sendBuffer(Buffer.buffer(form))
                .map(response -> {
                    if (response.statusCode() != 200) {
                        return new AlipayResult(null, ChannelAnswer.of(Outcome.UNKNOWN,
                                "HTTP " + response.statusCode()));
                    }
                    String answer = response.bodyAsString() == null ? "" : response.bodyAsString();
                    JsonNode json = read(answer);
                    if (json == null) {
                        return new AlipayResult(null, ChannelAnswer.of(Outcome.UNKNOWN, "unreadable answer"));
                    }
                    if (!alipaySigned(answer, label, json.path("sign").asText(null))) {
                        return new AlipayResult(null,
                                ChannelAnswer.of(Outcome.UNKNOWN, "the answer's signature does not match"));
                    }
                    return new AlipayResult(json.path(method.replace('.', '_') + "_response"), null);
                })
                .onFailure().recoverWithItem(e -> new AlipayResult(null,
                        ChannelAnswer.of(Outcome.UNKNOWN, "no answer: " + e.getMessage())));
    }

    /** Alipay signs the text of its answer's response object, exactly as sent. */
    private boolean alipaySigned(String answer, String label, String signature) {
        if (alipay.alipayPublicKey().isEmpty()) {
            return true;
        }
        String signed = objectText(answer, label);
        PublicKey key = Signatures.publicKey(alipay.alipayPublicKey().get());
        return signature != null && signed != null && Signatures.verify(key, signed, signature);
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

    private JsonNode read(String answer) {
        try {
            return mapper.readTree(answer.isEmpty() ? "{}" : answer);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
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
