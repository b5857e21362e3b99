package io.membercard.card;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.membercard.card.CardResourceTest.wiremock;
import static io.membercard.card.Fixtures.cashier;
import static io.membercard.card.Fixtures.createCardClass;
import static io.membercard.card.Fixtures.createOrder;
import static io.membercard.card.Fixtures.detailIds;
import static io.membercard.card.Fixtures.manager;
import static io.membercard.card.Fixtures.newTenant;
import static io.membercard.card.Fixtures.writtenCard;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.membercard.card.card.CardService;
import io.membercard.card.lifecycle.CardOperations;
import io.membercard.common.lock.LockTimeoutException;
import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** S1-29, S1-32 to S1-35 and S1-38, with WireMock playing payment-service's account side. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(PaymentServiceStub.class)
class LifecycleTest {
    private static final String BASE = "/api/member/membercard/";
    private final CardOperations operations;

    LifecycleTest(CardOperations operations) {
        this.operations = operations;
    }

    static ValidatableResponse call(String token, String action, String json) {
        var request = given().contentType(ContentType.JSON).body(json);
        if (token != null) {
            request.header("Authorization", token);
        }
        return request.post(BASE + action).then();
    }

    /** The card as another service sees it (status), or the refusal. */
    static ValidatableResponse check(long tenant, String code) {
        return given().header("Authorization", cashier(tenant, 1)).queryParam("cardCode", code)
                .get("/internal/cards/by-code").then().statusCode(200);
    }

    static ValidatableResponse read(long tenant, String code, String mac) {
        return given().header("Authorization", cashier(tenant, 1)).queryParam("cardCode", code)
                .queryParam("mac", mac).get(BASE + "get").then();
    }

    /** payment-service answers the account change of card {@code fromCode} with {@code status} and {@code body}. */
    static void paymentAnswers(String path, String fromCode, int status, String body) {
        wiremock().register(post(urlPathEqualTo("/internal/service/accounts/" + path)).atPriority(1)
                .withRequestBody(containing("\"" + fromCode + "\""))
                .withHeader("Accept", containing("application/json"))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                        .withBody(body)));
    }

    @Test
    void aCardIsReportedLostFoundAgainAndVoidedByAManager() {
        long tenant = newTenant();
        String code = writtenCard(tenant, 1, "L0001", "mac-l1");
        call(cashier(tenant, 7), "reportloss", "{\"cardCode\":\"" + code + "\",\"remark\":\"lost on the bus\","
                + "\"userId\":99}").statusCode(200).body("status", equalTo(200));
        check(tenant, code).body("data.status", equalTo(3)).body("data.statusName", equalTo("挂失"));
        read(tenant, code, "mac-l1").body("status", equalTo(3));
        // Another tenant's tills and managers do not know the card.
        long stranger = newTenant();
        call(cashier(stranger, 7), "cancelloss", "{\"cardCode\":\"" + code + "\",\"mac\":\"mac-l1\"}")
                .statusCode(200).body("status", equalTo(602));
        call(manager(stranger), "void", "{\"cardCode\":\"" + code + "\"}").statusCode(200)
                .body("status", equalTo(602));
        check(tenant, code).body("data.status", equalTo(3));
        call(cashier(tenant, 7), "reportloss", "{\"cardCode\":\"" + code + "\"}").statusCode(200)
                .header("Idempotent-Replayed", "true");
        call(cashier(tenant, 7), "cancelloss", "{\"cardCode\":\"" + code + "\",\"mac\":\"wrong\"}").statusCode(200)
                .body("status", equalTo(602));
        check(tenant, code).body("data.status", equalTo(3));
        call(cashier(tenant, 7), "cancelloss", "{\"cardCode\":\"" + code + "\",\"mac\":\"mac-l1\"}").statusCode(200)
                .body("status", equalTo(200));
        check(tenant, code).body("data.status", equalTo(2));

        call(cashier(tenant, 7), "void", "{\"cardCode\":\"" + code + "\"}").statusCode(403);
        call(manager(tenant), "void", "{\"cardCode\":\"" + code + "\",\"id\":1}").statusCode(200)
                .body("status", equalTo(200));
        check(tenant, code).body("data.status", equalTo(4));
        call(cashier(tenant, 7), "reportloss", "{\"cardCode\":\"" + code + "\"}").body("status", equalTo(604))
                .body("message", startsWith("card " + code + " is 作废 (void): it cannot be reported lost"));
        call(cashier(tenant, 7), "cancelloss", "{\"cardCode\":\"" + code + "\",\"mac\":\"mac-l1\"}")
                .body("status", equalTo(604));
    }

    @Test
    void aCardIsRewrittenWithANewMac() {
        long tenant = newTenant();
        String code = writtenCard(tenant, 1, "W0001", "old-mac");
        String other = writtenCard(tenant, 1, "W0002", "taken-mac");
        call(cashier(tenant, 9), "rewrite", "{\"code\":\"" + code + "\",\"mac\":\"taken-mac\",\"oldMac\":\"old-mac\"}")
                .statusCode(400).body("message", equalTo(CardService.macRefused().getMessage()));
        // Chips' secrets do not collide: that cashier is locked out of card secrets for a while.
        call(cashier(tenant, 9), "rewrite", "{\"code\":\"" + code + "\",\"mac\":\"new-mac\",\"oldMac\":\"old-mac\"}")
                .body("status", equalTo(601));
        call(cashier(tenant, 1), "rewrite", "{\"code\":\"" + code + "\",\"mac\":\"new-mac\",\"id\":1,"
                + "\"oldMac\":\"old-mac\"}").statusCode(400).body("message", startsWith("id: "));
        call(cashier(tenant, 1), "rewrite", "{\"code\":\"" + code + "\",\"mac\":\"new-mac\",\"oldMac\":\"old-mac\"}")
                .statusCode(200).body("data", equalTo(code));
        read(tenant, code, "new-mac").statusCode(200).body("code", equalTo(code));
        read(tenant, code, "old-mac").body("status", equalTo(602));
        read(tenant, other, "taken-mac").statusCode(200);
        call(cashier(newTenant(), 1), "rewrite", "{\"code\":\"" + code + "\",\"mac\":\"x\"}")
                .body("status", equalTo(602));
    }

    /** An order of {@code count} unwritten cards from {@code start}. */
    private static List<Integer> unwritten(long tenant, String start, int count) {
        long order = createOrder(tenant, 1, createCardClass(tenant, "Silver"), start, count);
        return detailIds(tenant, order);
    }

    @Test
    void aReplacementMovesTheAccountThenTheCardsFollow() {
        long tenant = newTenant();
        String old = writtenCard(tenant, 1, "R0001", "mac-r1");
        unwritten(tenant, "R1000", 1);
        call(cashier(tenant, 1), "reportloss", "{\"cardCode\":\"" + old + "\"}").statusCode(200);
        paymentAnswers("replace", old, 200, "{\"status\":200,\"message\":\"\",\"data\":{\"accountId\":5,"
                + "\"balance\":70.00,\"timestamp\":\"3\"}}");
        call(manager(tenant), "replace", "{\"oldCardCode\":\"" + old + "\",\"cardCode\":\"R1000\","
                + "\"mac\":\"mac-new\",\"timestamp\":\"2\",\"remark\":\"worn out\"}").statusCode(200)
                .body("status", equalTo(200));
        check(tenant, old).body("data.status", equalTo(6));
        check(tenant, "R1000").body("data.status", equalTo(2)).body("data.cardClassName", equalTo("Gold"));
        read(tenant, "R1000", "mac-new").statusCode(200);
        List<LoggedRequest> sent = wiremock().find(postRequestedFor(urlPathEqualTo(
                "/internal/service/accounts/replace")).withRequestBody(containing("\"" + old + "\"")));
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getHeader("X-Service-Key")).isEqualTo("test-only-service-key");
        assertThat(sent.get(0).getBodyAsString()).contains("\"toCardCode\":\"R1000\"", "\"timestamp\":\"2\"",
                "\"operationId\":\"card-op-", "\"tenantId\":" + tenant).doesNotContain("mac-new");
        // The till repeats the request: the finished replacement answers again, nothing more is asked.
        call(manager(tenant), "replace", "{\"oldCardCode\":\"" + old + "\",\"cardCode\":\"R1000\","
                + "\"mac\":\"mac-new\"}").statusCode(200).header("Idempotent-Replayed", "true");
        assertThat(wiremock().find(postRequestedFor(urlPathEqualTo("/internal/service/accounts/replace"))
                .withRequestBody(containing("\"" + old + "\"")))).hasSize(1);
        // Another written card can take a card's place only with its own mac and without a member.
        String third = writtenCard(tenant, 1, "R2000", "mac-r3");
        call(cashier(tenant, 1), "replace", "{\"oldCardCode\":\"R1000\",\"cardCode\":\"" + third
                + "\",\"mac\":\"wrong\",\"oldMac\":\"mac-new\"}").body("status", equalTo(602));
    }

    @Test
    void aRefusedReplacementChangesNoCard() {
        long tenant = newTenant();
        String old = writtenCard(tenant, 1, "F0001", "mac-f1");
        unwritten(tenant, "F1000", 1);
        paymentAnswers("replace", old, 409, "{\"status\":409,\"message\":\"card " + old + " changed since it was "
                + "read (timestamp 1, now 4): read it again\"}");
        call(cashier(tenant, 1), "replace", "{\"oldCardCode\":\"" + old + "\",\"cardCode\":\"F1000\","
                + "\"mac\":\"mac-nf\",\"timestamp\":\"1\",\"oldMac\":\"mac-f1\"}").log().ifValidationFails()
                .statusCode(409)
                .body("message", startsWith("card " + old + " changed since"));
        check(tenant, old).body("data.status", equalTo(2));
        check(tenant, "F1000").body("data.status", equalTo(1));
        read(tenant, old, "mac-f1").statusCode(200);
        call(cashier(tenant, 1), "replace", "{\"oldCardCode\":\"" + old + "\",\"cardCode\":\"" + old
                + "\",\"mac\":\"m\"}").statusCode(400).body("message", equalTo("cardCode: is the card being replaced"));
        call(cashier(tenant, 1), "replace", "{\"oldCardCode\":\"NOPE\",\"cardCode\":\"F1000\",\"mac\":\"m\"}")
                .statusCode(400).body("message", startsWith("oldCardCode: "));
        call(cashier(newTenant(), 1), "replace", "{\"oldCardCode\":\"" + old + "\",\"cardCode\":\"F1000\","
                + "\"mac\":\"m\",\"oldMac\":\"mac-f1\"}").statusCode(400)
                .body("message", equalTo("oldCardCode: no card " + old + " in this tenant"));
    }

    /**
     * A written card {@code prefix}0001 (mac {@code mac-<prefix>1}) being replaced by the unwritten {@code newCode}
     * (mac {@code newMac}) while payment-service fails to answer: the till is told 703. Answers the old card's code.
     */
    private String unconfirmedReplacement(long tenant, String prefix, String newCode, String newMac) {
        String oldMac = "mac-" + prefix.toLowerCase() + "1";
        String old = writtenCard(tenant, 1, prefix + "0001", oldMac);
        unwritten(tenant, newCode, 1);
        paymentAnswers("replace", old, 503, "{\"status\":500}");
        call(cashier(tenant, 1), "replace", "{\"oldCardCode\":\"" + old + "\",\"cardCode\":\"" + newCode + "\","
                + "\"mac\":\"" + newMac + "\",\"oldMac\":\"" + oldMac + "\"}").statusCode(200)
                .body("status", equalTo(703)).body("message", startsWith("the balance service has not confirmed yet"));
        return old;
    }

    @Test
    void anUnconfirmedReplacementKeepsTheCardsLockedUntilPaymentServiceAnswers() {
        long tenant = newTenant();
        String old = unconfirmedReplacement(tenant, "U", "U1000", "mac-nu");
        given().header("Authorization", cashier(tenant, 1)).queryParam("cardCode", old).queryParam("mac", "mac-u1")
                .get("/internal/cards/check").then().body("status", equalTo(601));
        call(cashier(tenant, 1), "reportloss", "{\"cardCode\":\"" + old + "\"}").body("status", equalTo(601));
        // payment-service comes back: the job asks again and the answer finishes the replacement.
        paymentAnswers("replace", old, 200, "{\"status\":200,\"message\":\"\",\"data\":{\"accountId\":9}}");
        forceDue();
        operations.driveDue().await().indefinitely();
        check(tenant, old).body("data.status", equalTo(6));
        check(tenant, "U1000").body("data.status", equalTo(2));
        read(tenant, "U1000", "mac-nu").statusCode(200);
    }

    /**
     * The job's repeat of a call whose answer was lost meets payment-service busy (409, the account's lock taken: the
     * first call may still hold it): that says nothing of the first call, so the cards stay locked until
     * payment-service decides. A refusal of the command itself decides: the cards are free again.
     */
    @Test
    void aRepeatRefusedOnTheWayInKeepsTheCardsLockedUntilPaymentServiceDecides() {
        long tenant = newTenant();
        String old = unconfirmedReplacement(tenant, "K", "K1000", "mac-nk");
        paymentAnswers("replace", old, 409, "{\"status\":409,\"message\":\"card " + old
                + LockTimeoutException.BUSY + "\"}");
        forceDue();
        operations.driveDue().await().indefinitely();
        call(cashier(tenant, 1), "reportloss", "{\"cardCode\":\"" + old + "\"}").body("status", equalTo(601));
        check(tenant, "K1000").body("status", equalTo(601));
        // payment-service decides: the replacement had gone through.
        paymentAnswers("replace", old, 200, "{\"status\":200,\"message\":\"\",\"data\":{\"accountId\":9}}");
        forceDue();
        operations.driveDue().await().indefinitely();
        check(tenant, old).body("data.status", equalTo(6));
        check(tenant, "K1000").body("data.status", equalTo(2));

        // Another card's replacement, unconfirmed; its repeat is refused for what it is (the account changed since
        // the till read it): that refusal decides, nothing changed, the cards are free.
        String other = unconfirmedReplacement(tenant, "J", "J1000", "mac-nj");
        paymentAnswers("replace", other, 409, "{\"status\":409,\"message\":\"card " + other
                + " changed since it was read (timestamp 3); read it again\"}");
        forceDue();
        operations.driveDue().await().indefinitely();
        call(cashier(tenant, 1), "reportloss", "{\"cardCode\":\"" + other + "\"}").body("status", equalTo(200));
    }

    @Test
    void aReturnPaysBackThroughPaymentServiceAndEndsTheCard() {
        long tenant = newTenant();
        String code = writtenCard(tenant, 1, "T0001", "mac-t1");
        call(cashier(tenant, 1), "returncard", "{\"cardCode\":\"" + code + "\",\"mac\":\"mac-t1\","
                + "\"paymentType\":2}").statusCode(400).body("message", startsWith("paymentType: "));
        call(cashier(tenant, 1), "returncard", "{\"cardCode\":\"" + code + "\",\"mac\":\"wrong\","
                + "\"paymentType\":1}").body("status", equalTo(602));
        paymentAnswers("return", code, 200, "{\"status\":200,\"message\":\"\",\"data\":{\"paymentType\":1,"
                + "\"paidBack\":60.00,\"forfeitedBonus\":12.00,\"forfeitedPoints\":6,\"timestamp\":\"5\"}}");
        call(cashier(tenant, 1), "returncard", "{\"cardCode\":\"" + code + "\",\"mac\":\"mac-t1\","
                + "\"paymentType\":1,\"remark\":\"moving away\"}").statusCode(200).body("status", equalTo(200));
        check(tenant, code).body("data.status", equalTo(5));
        call(cashier(tenant, 1), "returncard", "{\"cardCode\":\"" + code + "\",\"mac\":\"mac-t1\","
                + "\"paymentType\":1}").statusCode(200).header("Idempotent-Replayed", "true");
        assertThat(wiremock().find(postRequestedFor(urlPathEqualTo("/internal/service/accounts/return"))
                .withRequestBody(containing("\"" + code + "\"")))).hasSize(1);
        call(cashier(tenant, 1), "reportloss", "{\"cardCode\":\"" + code + "\"}").body("status", equalTo(601));
    }

    /** Another tenant's till with this card's code (and its right secret) finds no such card, and changes nothing. */
    @Test
    void anotherTenantsTillCannotReportLostOrReturnThisTenantsCard() {
        long tenant = newTenant();
        String code = writtenCard(tenant, 1, "X0001", "mac-x1");
        long other = newTenant();
        call(cashier(other, 1), "reportloss", "{\"cardCode\":\"" + code + "\"}").statusCode(200)
                .body("status", equalTo(602));
        call(cashier(other, 1), "returncard", "{\"cardCode\":\"" + code + "\",\"mac\":\"mac-x1\","
                + "\"paymentType\":1}").statusCode(200).body("status", equalTo(602));
        check(tenant, code).body("data.status", equalTo(2));
        assertThat(wiremock().find(postRequestedFor(urlPathEqualTo("/internal/service/accounts/return"))
                .withRequestBody(containing("\"" + code + "\"")))).isEmpty();
        read(tenant, code, "mac-x1").statusCode(200).body("code", equalTo(code));
    }

    @Test
    void everyLifecycleCallRefusesNoTokenAForeignRoleAndBadInput() {
        for (String action : new String[]{"reportloss", "cancelloss", "replace", "void", "returncard", "rewrite"}) {
            call(null, action, "{}").statusCode(401);
            given().header("Authorization", Tokens.tenant(1, "platform-admin").bearer())
                    .contentType(ContentType.JSON).body("{}").post(BASE + action).then().statusCode(403);
            given().header("Authorization", manager(1)).contentType(ContentType.JSON).post(BASE + action).then()
                    .statusCode(400).body("message", equalTo("request body must not be null"));
        }
        call(manager(1), "reportloss", "{\"remark\":\"x\"}").statusCode(400)
                .body("message", equalTo("cardCode: must not be blank"));
        call(manager(1), "replace", "{\"cardCode\":\"A\",\"mac\":\"m\"}").statusCode(400)
                .body("message", equalTo("oldCardCode: must not be blank"));
        call(manager(1), "returncard", "{\"cardCode\":\"A\",\"mac\":\"m\"}").statusCode(400)
                .body("message", equalTo("paymentType: must not be null"));
        call(manager(1), "rewrite", "{\"code\":\"A\"}").statusCode(400)
                .body("message", equalTo("mac: must not be blank"));
    }

    private static void forceDue() {
        io.vertx.mutiny.sqlclient.Pool pool = io.quarkus.arc.Arc.container().instance(
                io.vertx.mutiny.sqlclient.Pool.class).get();
        pool.query("update card_operation set next_attempt_at = now() where state = 'STARTED'").execute().await()
                .indefinitely();
    }
}
