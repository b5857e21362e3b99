package io.membercard.card;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.membercard.card.CardResourceTest.wiremock;
import static io.membercard.card.PartnerTest.partner;
import static io.membercard.card.PartnerTest.request;
import static io.membercard.card.PartnerTest.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.membercard.card.partner.OpenGatewayService;
import io.membercard.card.partner.PartnerKeyRotation;
import io.membercard.card.partner.PartnerSecrets;
import io.membercard.common.idempotency.IdempotencyKey;
import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.LogCapture;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Issue 9, items 3 and 6: someone holding one captured partner request alters it, and a partner probes what the
 * merchant's records hold. WireMock plays member-service.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(PaymentServiceStub.class)
class PartnerSecurityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Pool pool;
    private final PartnerKeyRotation rotation;

    PartnerSecurityTest(Pool pool, PartnerKeyRotation rotation) {
        this.pool = pool;
        this.rotation = rotation;
    }

    private static String nonce() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static void membersEnrolled() {
        new PartnerTest().memberService();
    }

    private static long enrolmentsNaming(String text) {
        return wiremock().find(postRequestedFor(urlPathEqualTo("/internal/service/enrolments"))
                .withRequestBody(containing(text))).size();
    }

    @Test
    void aDigestFoldedIntoAnotherValueDoesNotKeepTheSignature() throws Exception {
        membersEnrolled();
        PartnerTest.Made partner = partner();
        String post = "{\"list\":[{\"cardno\":\"700001\",\"password\":\"111111\",\"balance\":10}]}";
        long now = Instant.now().getEpochSecond();
        String nonce = nonce();
        // The captured request: signed over appid, nonce, op, post_sha256 and timestamp.
        String captured = request(partner, post, now, nonce, true);
        ObjectNode get = (ObjectNode) JSON.readTree(captured).path("get");
        // The alteration: post_sha256 moved into op's value, so that the old signed text ("...&op=操作员
        // &post_sha256=<digest>&timestamp=...") is the same, and the post is the attacker's.
        String digest = get.remove("post_sha256").asText();
        get.put("op", "操作员&post_sha256=" + digest);
        String forgedPost = "{\"list\":[{\"cardno\":\"766666\",\"password\":\"222222\",\"balance\":99999}]}";
        send("{\"action\":{\"action\":\"mb_newcard\"},\"get\":" + get + ",\"post\":" + forgedPost + "}")
                .body("status", equalTo("0"));
        assertThat(enrolmentsNaming("766666")).isZero();
        // The signed text itself cannot be folded: an escaped value is not two entries.
        ObjectNode one = JSON.createObjectNode().put("op", "x&post_sha256=" + digest);
        ObjectNode two = JSON.createObjectNode().put("op", "x").put("post_sha256", digest);
        assertThat(OpenGatewayService.canonical(one)).isNotEqualTo(OpenGatewayService.canonical(two));
        // The captured request itself still works, once.
        send(captured).body("status", equalTo("1"));
        assertThat(enrolmentsNaming("700001")).isEqualTo(1);
    }

    @Test
    void aSecondPostGroupIsRefusedAndTheCardsComeFromWhatWasHashed() throws Exception {
        membersEnrolled();
        PartnerTest.Made partner = partner();
        String post = "{\"list\":[{\"cardno\":\"710001\",\"password\":\"111111\",\"balance\":10}]}";
        String captured = request(partner, post, Instant.now().getEpochSecond(), nonce(), true);
        String forgedPost = "{\"list\":[{\"cardno\":\"777777\",\"password\":\"222222\",\"balance\":99999}]}";
        String altered = captured.substring(0, captured.length() - 1) + ",\"post\":" + forgedPost + "}";
        send(altered).body("status", equalTo("0"))
                .body("info", equalTo("the request repeats a key: every key appears once"));
        // A repeated key anywhere, not only post.
        String inner = captured.replace("\"cardno\":\"710001\"", "\"cardno\":\"710001\",\"cardno\":\"777778\"");
        send(inner).body("status", equalTo("0")).body("info", startsWith("the request repeats a key"));
        assertThat(enrolmentsNaming("777777")).isZero();
        assertThat(enrolmentsNaming("777778")).isZero();
        assertThat(enrolmentsNaming("710001")).isZero();
    }

    @Test
    void aCallerWithoutCredentialsCannotWriteALineOfItsOwnIntoTheLog() {
        String appid = "P1\n2026-12-01 09:00:00,000 ERROR [io.me.ca.pa.OpenGatewayService] forged " + "x".repeat(500);
        ObjectNode get = JSON.createObjectNode().put("appid", appid).put("timestamp", Instant.now().getEpochSecond())
                .put("nonce", nonce()).put("post_sha256", digestOf("{}")).put("sign", "00");
        try (LogCapture log = LogCapture.of(OpenGatewayService.class)) {
            send("{\"action\":{\"action\":\"mb_newcard\"},\"get\":" + get + ",\"post\":{}}")
                    .body("info", equalTo(OpenGatewayService.NOT_SIGNED));
            assertThat(log.messages()).isNotEmpty().allSatisfy(line -> {
                assertThat(line).doesNotContain("\n").doesNotContain("x".repeat(100));
            });
            assertThat(log.messages()).anySatisfy(line -> assertThat(line).contains("P1\\n2026-12-01"));
        }
    }

    @Test
    void aPartnerIsNotToldWhatTheMerchantsRecordsHoldNorAnInternalError() throws Exception {
        PartnerTest.Made partner = partner();
        wiremock().register(post(urlPathEqualTo("/internal/service/enrolments")).atPriority(1)
                .withRequestBody(containing("\"tenantId\":" + partner.tenant()))
                .withRequestBody(containing("720001"))
                .willReturn(okJson("{\"status\":200,\"message\":\"\",\"data\":[{\"sourceKey\":\"k\","
                        + "\"outcome\":\"REJECTED\",\"reason\":\"phone: belongs to another member already\"}]}")));
        send(request(partner, "{\"list\":[{\"cardno\":\"720001\",\"password\":\"1\",\"phone\":\"13912345678\"}]}",
                Instant.now().getEpochSecond(), nonce(), true)).body("status", equalTo("0"))
                .body("info", equalTo("card 720001: " + OpenGatewayService.NOT_ISSUED))
                .body("info", not(containsString("phone")));
        wiremock().register(post(urlPathEqualTo("/internal/service/enrolments")).atPriority(1)
                .withRequestBody(containing("\"tenantId\":" + partner.tenant()))
                .withRequestBody(containing("720002"))
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":500,\"message\":\"ERROR: duplicate key value violates unique "
                                + "constraint member_phone_key (23505)\"}")));
        send(request(partner, "{\"list\":[{\"cardno\":\"720002\",\"password\":\"1\"}]}",
                Instant.now().getEpochSecond(), nonce(), true)).body("status", equalTo("0"))
                .body("info", startsWith("the cards could not be issued now (reference "))
                .body("info", not(containsString("duplicate"))).body("info", not(containsString("constraint")));
    }

    @Test
    void partnerSecretsHaveTheirOwnKeyAndAreSealedAgainWhenItTurns() throws Exception {
        membersEnrolled();
        PartnerTest.Made partner = partner();
        String sealed = pool.preparedQuery("select secret from partner where id = $1").execute(Tuple.of(partner.id()))
                .await().indefinitely().iterator().next().getString(0);
        assertThat(sealed).startsWith("v1:test1:");
        // A secret sealed the old way (under a key derived from the card secret key) is read once and sealed again
        // under the partner key.
        pool.preparedQuery("update partner set secret = $2 where id = $1")
                .execute(Tuple.of(partner.id(), legacySeal(partner.secret()))).await().indefinitely();
        assertThat(rotation.rotate().await().indefinitely()).isGreaterThanOrEqualTo(1);
        String resealed = pool.preparedQuery("select secret from partner where id = $1")
                .execute(Tuple.of(partner.id())).await().indefinitely().iterator().next().getString(0);
        assertThat(resealed).startsWith("v1:test1:").isNotEqualTo(sealed);
        send(request(partner, "{\"list\":[{\"cardno\":\"730001\",\"password\":\"1\"}]}",
                Instant.now().getEpochSecond(), nonce(), true)).body("status", equalTo("1"));
        assertThat(PartnerSecrets.sign("a", "b")).hasSize(64);
    }

    /** How partner secrets were sealed before they had a key of their own (test-only-pepper is the test's). */
    private static String legacySeal(String secret) throws Exception {
        byte[] key = MessageDigest.getInstance("SHA-256")
                .digest("partner-secrets:test-only-pepper".getBytes(StandardCharsets.UTF_8));
        byte[] iv = new byte[12];
        new SecureRandom().nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed)
                .array());
    }

    static String digestOf(String post) {
        return IdempotencyKey.hashText(post);
    }
}
