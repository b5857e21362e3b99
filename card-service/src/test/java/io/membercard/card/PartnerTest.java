package io.membercard.card;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.membercard.card.CardResourceTest.wiremock;
import static io.membercard.card.Fixtures.cashier;
import static io.membercard.card.Fixtures.createCardClass;
import static io.membercard.card.Fixtures.manager;
import static io.membercard.card.Fixtures.newTenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.membercard.card.partner.OpenGatewayService;
import io.membercard.card.partner.PartnerSecrets;
import io.membercard.common.idempotency.IdempotencyKey;
import io.membercard.common.testing.AuthTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/** Seed 003: partners, their signed requests, and the cards they issue (WireMock plays member-service). */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(PaymentServiceStub.class)
class PartnerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void memberService() {
        wiremock().register(post(urlPathEqualTo("/internal/service/enrolments")).atPriority(5).willReturn(okJson("""
                {"status":200,"message":"","data":[{{#each (jsonPath request.body '$.rows') as |row|}}\
                {{#if @index}},{{/if}}{"sourceKey":"{{row.sourceKey}}","outcome":"CREATED","memberId":{{@index}},\
                "cardId":{{@index}},"cardCode":"{{row.cardCode}}","reason":null}{{/each}}]}""")
                .withTransformers("response-template")));
        wiremock().register(post(urlPathEqualTo("/internal/service/accounts/openings")).atPriority(5)
                .willReturn(okJson("{\"status\":200,\"message\":\"\",\"data\":[]}")));
    }

    /** A partner of a new tenant: its id, secret and tenant. */
    record Made(String id, String secret, long tenant) {
    }

    static Made partner() {
        long tenant = newTenant();
        long gold = createCardClass(tenant, "Gold");
        JsonPath made = given().header("Authorization", manager(tenant)).contentType(ContentType.JSON)
                .body("{\"name\":\"Mall kiosk\",\"shopId\":6,\"shopName\":\"Mall\",\"cardClassId\":" + gold + "}")
                .post("/api/open/partner/save").then().statusCode(200).extract().jsonPath();
        return new Made(made.getString("data.id"), made.getString("data.secret"), tenant);
    }

    /** A request signed as {@code partner} would sign it. */
    static String request(Made partner, String post, long timestamp, String nonce, boolean digest) throws Exception {
        ObjectNode get = JSON.createObjectNode().put("appid", partner.id()).put("timestamp", timestamp)
                .put("nonce", nonce).put("op", "操作员");
        if (digest) {
            get.put("post_sha256", IdempotencyKey.hashText(post));
        }
        get.put("sign", PartnerSecrets.sign(partner.secret(), OpenGatewayService.canonical(get)));
        return "{\"action\":{\"action\":\"mb_newcard\"},\"get\":" + get + ",\"post\":" + post + "}";
    }

    static ValidatableResponse send(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/open/gateway").then().statusCode(200);
    }

    private static String nonce() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void signedCardsBecomeMembersAndAReplayedOrForgedRequestIsRefused() throws Exception {
        Made partner = partner();
        String post = "{\"list\":[{\"cardno\":\"100101\",\"name\":\"西瓜\",\"phone\":\"18862302465\",\"level\":1,"
                + "\"sex\":1,\"birthday\":\"19940103\",\"extid\":\"109\",\"password\":\"123456\",\"balance\":100.88,"
                + "\"points\":200,\"subject\":\"备注\",\"expirydate\":\"20301225\"},{\"cardno\":100102,\"name\":\"A\","
                + "\"phone\":13900000000,\"sex\":0,\"password\":654321}]}";
        String body = request(partner, post, Instant.now().getEpochSecond(), nonce(), true);
        send(body).body("status", equalTo("1")).body("info", equalTo("发卡成功")).body("type", equalTo("2"))
                .body("list", hasSize(2)).body("list[0].cardno", equalTo("100101"))
                .body("list[0].mbno", equalTo("100101")).body("list[0].pwd", equalTo(""))
                .body("list[0].extid", equalTo("109")).body("list[0].balance", equalTo("100.88"))
                .body("list[1].cardno", equalTo("100102")).body("msid", equalTo("6"))
                .body("server_time", matchesPattern("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}"));
        String sent = wiremock().find(postRequestedFor(urlPathEqualTo("/internal/service/enrolments"))).stream()
                .map(r -> r.getBodyAsString()).filter(b -> b.contains("\"tenantId\":" + partner.tenant())).findFirst()
                .orElseThrow();
        var enrolment = JSON.readTree(sent);
        assertThat(enrolment.path("shopId").asLong()).isEqualTo(6);
        assertThat(enrolment.path("userId").asText()).isEqualTo("partner:" + partner.id());
        assertThat(enrolment.path("rows").path(0).path("sourceKey").asText()).isEqualTo("partner:" + partner.id()
                + ":100101");
        assertThat(enrolment.path("rows").path(0).path("mac").asText()).isEqualTo("123456");
        assertThat(enrolment.path("rows").path(0).path("actual").decimalValue()).isEqualByComparingTo("100.88");
        assertThat(enrolment.path("rows").path(0).path("levelRank").asInt()).isEqualTo(1);
        assertThat(enrolment.path("rows").path(0).path("expiresAt").isNumber()).isTrue();
        assertThat(enrolment.path("rows").path(1).path("phone").asText()).isEqualTo("13900000000");

        send(body).body("status", equalTo("0")).body("info", equalTo("this request was sent before (nonce)"));
        long now = Instant.now().getEpochSecond();
        send(request(partner, post, now - 600, nonce(), true)).body("status", equalTo("0"))
                .body("info", startsWith("the timestamp is not within five minutes"));
        String forged = request(partner, post, now, nonce(), true).replace("\"op\":\"操作员\"", "\"op\":\"x\"");
        send(forged).body("status", equalTo("0")).body("info", equalTo(OpenGatewayService.NOT_SIGNED));
        // Every request creates cards: the signature must cover them.
        send(request(partner, post, now, nonce(), false)).body("status", equalTo("0"))
                .body("info", startsWith("get.post_sha256 is required"));
        String tampered = request(partner, post, now, nonce(), true).replace("100.88", "999.88");
        send(tampered).body("status", equalTo("0")).body("info", equalTo("the post group does not match "
                + "get.post_sha256"));
        Made stranger = new Made(partner.id(), "not-the-secret", partner.tenant());
        // A wrong secret and an unknown partner get one answer: nobody learns which appids exist.
        send(request(stranger, post, now, nonce(), true)).body("status", equalTo("0"))
                .body("info", equalTo(OpenGatewayService.NOT_SIGNED));
        send(request(new Made("PNOBODY", "x", 1), post, now, nonce(), true))
                .body("info", equalTo(OpenGatewayService.NOT_SIGNED));
        send("{not json").body("status", equalTo("0")).body("info", equalTo("malformed JSON"));
        send(request(partner, "{\"list\":[{\"name\":\"x\"}]}", now, nonce(), true)).body("status", equalTo("0"))
                .body("info", startsWith("card 1: cardno is required"));
        send(request(partner, "{\"list\":[{\"cardno\":\"1\",\"password\":\"1\",\"balance\":1.001}]}", now, nonce(),
                true)).body("info", startsWith("card 1: balance must be an amount"));
    }

    @Test
    void typeFifteenMakesCardsWithoutMembersWithGeneratedNumbers() throws Exception {
        Made partner = partner();
        String post = "{\"list\":[{\"type\":15,\"count\":3,\"balance\":50,\"extid\":\"B9\"},"
                + "{\"type\":15,\"count\":1,\"password\":\"777777\",\"balance\":20,\"extid\":\"B10\"}]}";
        JsonPath answer = send(request(partner, post, Instant.now().getEpochSecond(), nonce(), true))
                .body("status", equalTo("1")).body("type", equalTo("15")).body("list", hasSize(4))
                .body("list.balance", contains("50.00", "50.00", "50.00", "20.00")).extract().jsonPath();
        String first = answer.getString("list[0].cardno");
        String single = answer.getString("list[3].cardno");
        assertThat(first).matches("8\\d{11}");
        given().header("Authorization", cashier(partner.tenant(), 6)).queryParam("cardCode", single)
                .queryParam("mac", "777777").get("/api/member/membercard/get").then().statusCode(200)
                .body("status", equalTo(2)).body("cardSendMode", equalTo(3)).body("shopName", equalTo("Mall"));
        // The cards of a batch are written one by one as they are handed out.
        given().header("Authorization", cashier(partner.tenant(), 6)).queryParam("cardCode", first)
                .get("/internal/cards/by-code").then().body("data.status", equalTo(1));
        // A partner's card may hold money: a cashier cannot give it a secret, a manager writes it as it is handed out.
        LifecycleTest.call(cashier(partner.tenant(), 6), "rewrite", "{\"code\":\"" + first + "\",\"mac\":\"m1\"}")
                .statusCode(403);
        LifecycleTest.call(manager(partner.tenant()), "rewrite", "{\"code\":\"" + first + "\",\"mac\":\"m1\"}")
                .statusCode(200);
        given().header("Authorization", cashier(partner.tenant(), 6)).queryParam("cardCode", first)
                .queryParam("mac", "m1").get("/api/member/membercard/get").then().statusCode(200);
        assertThat(wiremock().find(postRequestedFor(urlPathEqualTo("/internal/service/accounts/openings")))
                .stream().filter(r -> r.getBodyAsString().contains("\"tenantId\":" + partner.tenant())).findFirst()
                .orElseThrow().getBodyAsString()).contains("\"actual\":50", "\"cardCode\":\"" + first + "\"");
        // The same batches (same extid) sent again with a new nonce make no new cards.
        send(request(partner, post, Instant.now().getEpochSecond(), nonce(), true)).body("status", equalTo("1"))
                .body("list[0].cardno", equalTo(first));
        send(request(partner, "{\"list\":[{\"type\":15,\"count\":2,\"password\":\"1\",\"extid\":\"B11\"}]}",
                Instant.now().getEpochSecond(), nonce(), true)).body("status", equalTo("0"))
                .body("info", startsWith("card 1: type 15 cards cannot share one password"));
        // A batch is named by its extid: without one a resend could not be told from a new batch.
        send(request(partner, "{\"list\":[{\"type\":15,\"count\":2}]}", Instant.now().getEpochSecond(),
                nonce(), true)).body("status", equalTo("0")).body("info", startsWith("card 1: type 15 needs extid"));
        send(request(partner, "{\"list\":[{\"type\":15,\"count\":1,\"extid\":\"B12\"},{\"type\":15,"
                + "\"count\":1,\"extid\":\"B12\"}]}", Instant.now().getEpochSecond(), nonce(), true))
                .body("status", equalTo("0")).body("info", startsWith("card 2: extid B12 is listed twice"));
    }

    @Test
    void managersKeepPartnersAndSecretsAreNeverShownAgain() {
        Made partner = partner();
        given().header("Authorization", manager(partner.tenant())).get("/api/open/partner/getlist").then()
                .statusCode(200).body("id", contains(partner.id())).body("[0].secret", nullValue())
                .body("[0].sealedSecret", nullValue()).body("[0].shopId", equalTo(6));
        given().header("Authorization", cashier(partner.tenant(), 6)).get("/api/open/partner/getlist").then()
                .statusCode(403);
        given().header("Authorization", cashier(partner.tenant(), 6)).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"shopId\":1,\"cardClassId\":1}").post("/api/open/partner/save").then()
                .statusCode(403);
        given().header("Authorization", cashier(partner.tenant(), 6)).queryParam("id", partner.id())
                .post("/api/open/partner/disable").then().statusCode(403);
        given().header("Authorization", manager(newTenant())).get("/api/open/partner/getlist").then()
                .statusCode(200).body("$", org.hamcrest.Matchers.empty());
        given().header("Authorization", manager(partner.tenant())).contentType(ContentType.JSON)
                .body("{\"name\":\"\",\"shopId\":1,\"cardClassId\":1}").post("/api/open/partner/save").then()
                .statusCode(400).body("message", equalTo("name: must not be blank"));
        given().header("Authorization", manager(partner.tenant())).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"shopId\":1,\"cardClassId\":999999999}").post("/api/open/partner/save")
                .then().statusCode(400).body("message", startsWith("cardClassId: "));
        // Another tenant's card class is no card class here.
        long theirs = Fixtures.createCardClass(newTenant(), "Theirs");
        given().header("Authorization", manager(partner.tenant())).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"shopId\":1,\"cardClassId\":" + theirs + "}").post("/api/open/partner/save")
                .then().statusCode(400).body("message", startsWith("cardClassId: "));
        given().header("Authorization", manager(partner.tenant())).post("/api/open/partner/disable").then()
                .statusCode(400).body("message", equalTo("id: is required"));
        given().header("Authorization", manager(partner.tenant())).queryParam("id", "x".repeat(33))
                .post("/api/open/partner/disable").then().statusCode(400).body("message", startsWith("id: "));
        given().header("Authorization", manager(newTenant())).queryParam("id", partner.id())
                .post("/api/open/partner/disable").then().statusCode(404);
        given().header("Authorization", manager(partner.tenant())).queryParam("id", partner.id())
                .post("/api/open/partner/disable").then().statusCode(200);
        try {
            send(request(partner, "{\"list\":[]}", Instant.now().getEpochSecond(), nonce(), true))
                    .body("info", equalTo(OpenGatewayService.NOT_SIGNED));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        given().get("/api/open/partner/getlist").then().statusCode(401);
    }
}
