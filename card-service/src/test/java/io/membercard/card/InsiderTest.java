package io.membercard.card;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.membercard.card.CardResourceTest.wiremock;
import static io.membercard.card.Fixtures.cashier;
import static io.membercard.card.Fixtures.createCardClass;
import static io.membercard.card.Fixtures.createOrder;
import static io.membercard.card.Fixtures.detailIds;
import static io.membercard.card.Fixtures.manager;
import static io.membercard.card.Fixtures.newTenant;
import static io.membercard.card.Fixtures.writeCard;
import static io.membercard.card.Fixtures.writtenCard;
import static io.membercard.card.LifecycleTest.call;
import static io.membercard.card.LifecycleTest.check;
import static io.membercard.card.LifecycleTest.paymentAnswers;
import static io.membercard.card.LifecycleTest.read;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Concurrently;
import io.membercard.common.testing.Tokens;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 9, items 1 and 4: a dishonest cashier with a valid token tries to take a customer's card over (rewrite,
 * replace, return without its secret) and to guess card secrets, alone and fifty at once.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(PaymentServiceStub.class)
class InsiderTest {
    private final RedisDataSource redis;

    InsiderTest(RedisDataSource redis) {
        this.redis = redis;
    }

    private static int cardLimit() {
        return ConfigProvider.getConfig().getOptionalValue("membercard.card.mac-lockout.max-failures", Integer.class)
                .orElse(5);
    }

    private static int callerLimit() {
        return ConfigProvider.getConfig()
                .getOptionalValue("membercard.card.mac-lockout.caller-max-failures", Integer.class).orElse(20);
    }

    private static long paymentCalls(String path, String code) {
        return wiremock().find(postRequestedFor(urlPathEqualTo("/internal/service/accounts/" + path))
                .withRequestBody(containing("\"" + code + "\""))).size();
    }

    @Test
    void aCashierCannotTakeOverSomeoneElsesCardWithoutItsSecret() {
        long tenant = newTenant();
        String code = writtenCard(tenant, 1, "V0001", "owner-mac");
        long order = createOrder(tenant, 1, createCardClass(tenant, "Blank"), "V1000", 1);
        paymentAnswers("replace", code, 200, "{\"status\":200,\"message\":\"\",\"data\":{\"accountId\":5}}");
        paymentAnswers("return", code, 200, "{\"status\":200,\"message\":\"\",\"data\":{\"paymentType\":1,"
                + "\"paidBack\":60.00,\"forfeitedBonus\":12.00,\"forfeitedPoints\":6,\"timestamp\":\"5\"}}");
        String cashier = cashier(tenant, 3);

        // Rewrite: giving the card a secret of the cashier's own.
        call(cashier, "rewrite", "{\"code\":\"" + code + "\",\"mac\":\"thief-mac\"}").statusCode(403)
                .body("message", equalTo("card " + code + " is rewritten with its current card secret (oldMac), "
                        + "or by a manager"));
        call(cashier, "rewrite", "{\"code\":\"" + code + "\",\"mac\":\"thief-mac\",\"oldMac\":\"guess\"}")
                .body("status", equalTo(602));
        // Replace: moving the account to a blank card the cashier holds.
        call(cashier, "replace", "{\"oldCardCode\":\"" + code + "\",\"cardCode\":\"V1000\",\"mac\":\"thief-mac\"}")
                .statusCode(400).body("message", startsWith("oldMac: is required"));
        call(cashier, "replace", "{\"oldCardCode\":\"" + code + "\",\"cardCode\":\"V1000\",\"mac\":\"thief-mac\","
                + "\"oldMac\":\"guess\"}").body("status", equalTo(602));
        // Reporting it lost first does not help: a lost card is replaced by a manager.
        call(cashier, "reportloss", "{\"cardCode\":\"" + code + "\"}").statusCode(200);
        call(cashier, "replace", "{\"oldCardCode\":\"" + code + "\",\"cardCode\":\"V1000\",\"mac\":\"thief-mac\"}")
                .statusCode(403).body("message", startsWith("a lost card is replaced by a manager"));
        call(manager(tenant), "cancelloss", "{\"cardCode\":\"" + code + "\",\"mac\":\"owner-mac\"}").statusCode(200);
        // Return: paying the balance out in cash.
        call(cashier, "returncard", "{\"cardCode\":\"" + code + "\",\"paymentType\":1}").statusCode(403)
                .body("message", equalTo("mac: a card is returned with its card secret, or by a manager"));

        // Nothing moved: the owner's card reads with the owner's secret, the blank card is still blank, and
        // payment-service was never asked.
        read(tenant, code, "owner-mac").statusCode(200).body("status", equalTo(2));
        read(tenant, code, "thief-mac").body("status", equalTo(602));
        check(tenant, "V1000").body("data.status", equalTo(1));
        assertThat(paymentCalls("replace", code)).isZero();
        assertThat(paymentCalls("return", code)).isZero();

        // With the card there (its secret), the cashier replaces it; the audit says so.
        call(cashier, "replace", "{\"oldCardCode\":\"" + code + "\",\"cardCode\":\"V1000\",\"mac\":\"new-mac\","
                + "\"oldMac\":\"owner-mac\"}").statusCode(200).body("status", equalTo(200));
        check(tenant, code).body("data.status", equalTo(6));
        given().header("Authorization", manager(tenant)).queryParam("cardCode", code)
                .get("/api/member/membercard/getcardlog").then().statusCode(200)
                .body("data[0].action", equalTo("REPLACED")).body("data[0].otherCardCode", equalTo("V1000"))
                .body("data[0].cardPresent", equalTo(true)).body("data[0].shopId", equalTo(3))
                .body("data[0].userId", equalTo("7")).body("data[0].amounts.accountId", equalTo(5))
                .body("data[1].action", equalTo("FOUND")).body("data[2].action", equalTo("LOST"))
                .body("data[2].cardPresent", equalTo(false));
        assertThat(order).isPositive();
    }

    @Test
    void aManagerActsWithoutTheCardAndTheAuditNamesWhoAndHowMuch() {
        long tenant = newTenant();
        String code = writtenCard(tenant, 1, "M0001", "owner-mac");
        paymentAnswers("return", code, 200, "{\"status\":200,\"message\":\"\",\"data\":{\"paymentType\":1,"
                + "\"paidBack\":60.00,\"forfeitedBonus\":12.00,\"forfeitedPoints\":6,\"timestamp\":\"5\"}}");
        String manager = Tokens.tenant(tenant, "manager").shop(2).user("m-1", "Boss Wang").bearer();
        call(manager, "rewrite", "{\"code\":\"" + code + "\",\"mac\":\"chip-2\"}").statusCode(200);
        read(tenant, code, "chip-2").statusCode(200);
        call(manager, "returncard", "{\"cardCode\":\"" + code + "\",\"paymentType\":1,\"remark\":\"chip broken\"}")
                .statusCode(200).body("status", equalTo(200));
        check(tenant, code).body("data.status", equalTo(5));
        given().header("Authorization", manager(tenant)).queryParam("userId", "m-1")
                .get("/api/member/membercard/getcardlog").then().statusCode(200).body("totalCount", equalTo(2))
                .body("data[0].action", equalTo("RETURNED")).body("data[0].cardPresent", equalTo(false))
                .body("data[0].userName", equalTo("Boss Wang")).body("data[0].shopId", equalTo(2))
                .body("data[0].amounts.paidBack", equalTo(60.0f)).body("data[0].amounts.forfeitedBonus", equalTo(12.0f))
                .body("data[0].remark", equalTo("chip broken"))
                .body("data[1].action", equalTo("REWRITTEN")).body("data[1].cardPresent", equalTo(false));
        // The audit is the managers': a cashier, another tenant and bad input are refused.
        given().header("Authorization", cashier(tenant, 2)).get("/api/member/membercard/getcardlog").then()
                .statusCode(403);
        given().header("Authorization", manager(newTenant())).queryParam("cardCode", code)
                .get("/api/member/membercard/getcardlog").then().statusCode(200).body("data", hasSize(0));
        given().header("Authorization", manager(tenant)).queryParam("shopId", "two")
                .get("/api/member/membercard/getcardlog").then().statusCode(400)
                .body("message", startsWith("shopId: "));
        given().get("/api/member/membercard/getcardlog").then().statusCode(401);
    }

    @Test
    void aBlankCardIsWrittenByACashierButAMembersUnwrittenCardByAManagerOnly() {
        long tenant = newTenant();
        long order = createOrder(tenant, 1, createCardClass(tenant, "Blank"), "B1000", 1);
        String cashier = cashier(tenant, 1);
        call(cashier, "rewrite", "{\"code\":\"B1000\",\"mac\":\"blank-mac\"}").statusCode(200);
        read(tenant, "B1000", "blank-mac").statusCode(200);
        assertThat(order).isPositive();
    }

    @Test
    void fiftyGuessesAtOnceAtOneCardAreHeldToTheLimit() throws Exception {
        long tenant = newTenant();
        String code = writtenCard(tenant, 1, "G0001", "owner-mac");
        // Fifty tills (fifty users) guess at once, so only the card's own limit applies.
        Map<Integer, Long> answers = Concurrently.counted(50, n -> given()
                .header("Authorization", Tokens.tenant(tenant, "cashier").shop(1).user("till-" + n, "T").bearer())
                .queryParam("cardCode", code).queryParam("mac", "guess-" + n).get("/api/member/membercard/get")
                .then().statusCode(200).extract().path("status"));
        // 602: a guess that was evaluated (and wrong); 601: refused before any comparison.
        assertThat(answers.getOrDefault(602, 0L)).isLessThanOrEqualTo(cardLimit());
        assertThat(answers.getOrDefault(601, 0L) + answers.getOrDefault(602, 0L)).isEqualTo(50);
        // The card is locked: even its owner waits.
        read(tenant, code, "owner-mac").body("status", equalTo(601));
    }

    @Test
    void fiftyLookUpsByMacAtOnceAreHeldToTheCallersLimit() throws Exception {
        long tenant = newTenant();
        writtenCard(tenant, 1, "H0001", "owner-mac");
        String cashier = cashier(tenant, 4);
        Map<Integer, Long> answers = Concurrently.counted(50, n -> given().header("Authorization", cashier)
                .queryParam("mac", "guess-" + n).get("/internal/cards/check-by-mac").then().statusCode(200)
                .extract().path("status"));
        assertThat(answers.getOrDefault(602, 0L)).isLessThanOrEqualTo(callerLimit());
        assertThat(answers.getOrDefault(601, 0L)).isGreaterThanOrEqualTo(50L - callerLimit());
        // The caller is locked out of every card secret, the right one included, on every path.
        given().header("Authorization", cashier).queryParam("mac", "owner-mac").get("/internal/cards/check-by-mac")
                .then().body("status", equalTo(601))
                .body("message", equalTo("too many wrong card secrets from this user; try again later"));
        read(tenant, "H0001", "owner-mac").statusCode(200);
        given().header("Authorization", cashier).queryParam("cardCode", "H0001").queryParam("mac", "owner-mac")
                .get("/api/member/membercard/get").then().body("status", equalTo(601));
    }

    @Test
    void unknownCodesAndTakenSecretsCostAGuessAndSayNothing() {
        long tenant = newTenant();
        writtenCard(tenant, 1, "K0001", "taken-mac");
        long order = createOrder(tenant, 1, createCardClass(tenant, "Blank"), "K1000", 1);
        String cashier = cashier(tenant, 1);
        // Writing a secret another card has: refused without saying that a card has it.
        writeCard(cashier, order, detailIds(tenant, order).get(0), "taken-mac").then().statusCode(400)
                .body("message", equalTo("mac: cannot be written to this card: read the chip again, or use another "
                        + "card"))
                .body("message", not(containsString("bound")));
        // Real chips' secrets do not collide: a taken one locks the writer out of card secrets.
        given().header("Authorization", cashier).queryParam("cardCode", "K0001").queryParam("mac", "taken-mac")
                .get("/api/member/membercard/get").then().body("status", equalTo(601));
        // Unknown card codes cost a guess each, like a wrong secret.
        String other = cashier(tenant, 2);
        for (int i = 0; i < callerLimit(); i++) {
            given().header("Authorization", other).queryParam("cardCode", "NOPE" + i).queryParam("mac", "m")
                    .get("/api/member/membercard/get").then().statusCode(200).body("status", equalTo(602));
        }
        given().header("Authorization", other).queryParam("cardCode", "K0001").queryParam("mac", "taken-mac")
                .get("/api/member/membercard/get").then().body("status", equalTo(601));
    }

    @Test
    void bindingAWrittenCardToANewMemberIsAGuessLikeAnyOther() {
        long tenant = newTenant();
        String code = writtenCard(tenant, 1, "N0001", "owner-mac");
        for (int i = 0; i <= cardLimit(); i++) {
            IssueTest.issue("{\"tenantId\":" + tenant + ",\"shopId\":1,\"userId\":\"u-" + i + "\",\"items\":[{"
                    + "\"key\":\"k" + i + "\",\"memberId\":" + (100 + i) + ",\"cardCode\":\"" + code + "\","
                    + "\"mac\":\"guess-" + i + "\",\"sendMode\":1}]}").statusCode(200)
                    .body("data[0].status", equalTo(i < cardLimit() ? 602 : 601));
        }
        // The card is locked against its own member-to-be too, and nobody was bound to it.
        IssueTest.issue("{\"tenantId\":" + tenant + ",\"shopId\":1,\"userId\":\"owner\",\"items\":[{"
                + "\"key\":\"right\",\"memberId\":99,\"cardCode\":\"" + code + "\",\"mac\":\"owner-mac\","
                + "\"sendMode\":1}]}").statusCode(200).body("data[0].status", equalTo(601));
        check(tenant, code).body("data.memberId", org.hamcrest.Matchers.nullValue());
    }

    private static long configured(String key, java.time.Duration otherwise) {
        return ConfigProvider.getConfig().getOptionalValue("membercard.card.mac-lockout." + key,
                java.time.Duration.class).orElse(otherwise).toMillis();
    }

    /** Lets a Redis key's time run out now (as if its window or lock time had passed). */
    private void runOut(String key) {
        redis.key().pexpire(key, 1);
        for (int i = 0; i < 100 && redis.key().exists(key); i++) {
            Thread.onSpinWait();
        }
        assertThat(redis.key().exists(key)).isFalse();
    }

    /**
     * A card's wrong secrets count within the window only, and its lock lasts the lock time: each is kept in Redis
     * with that time to live, and once it has run out the card's count starts again or its owner reads it again.
     */
    @Test
    void aCardsWrongSecretsCountForTheWindowAndItsLockLastsTheLockTime() {
        long tenant = newTenant();
        String code = writtenCard(tenant, 1, "W0001", "owner-mac");
        String prefix = ConfigProvider.getConfig().getValue("membercard.common.redis-key-prefix", String.class);
        for (int i = 1; i < cardLimit(); i++) {
            read(tenant, code, "wrong-" + i).body("status", equalTo(602));
        }
        java.util.List<String> failures = redis.key().keys(prefix + ":mac:fail:{" + tenant + "}:*");
        assertThat(failures).hasSize(1);
        String failKey = failures.get(0);
        long window = configured("window", java.time.Duration.ofMinutes(10));
        assertThat(redis.key().pttl(failKey)).as("the failures' time to live").isBetween(window - 60_000, window);
        // The window passes: those failures are forgotten, so as many again leave the card usable.
        runOut(failKey);
        for (int i = 1; i < cardLimit(); i++) {
            read(tenant, code, "again-" + i).body("status", equalTo(602));
        }
        read(tenant, code, "owner-mac").statusCode(200).body("code", equalTo(code));
        // Past the limit within the window, the card is locked for the lock time, its owner too.
        for (int i = 1; i <= cardLimit(); i++) {
            read(tenant, code, "more-" + i).body("status", equalTo(602));
        }
        read(tenant, code, "more-last").body("status", equalTo(601));
        String lockKey = prefix + ":mac:locked:{" + tenant + "}:" + failKey.substring(failKey.lastIndexOf(':') + 1);
        long lockTime = configured("duration", java.time.Duration.ofMinutes(15));
        assertThat(redis.key().pttl(lockKey)).as("the lock's time to live").isBetween(lockTime - 60_000, lockTime);
        read(tenant, code, "owner-mac").body("status", equalTo(601))
                .body("message", equalTo("card locked after repeated wrong card secrets; try again later"));
        runOut(lockKey);
        read(tenant, code, "owner-mac").statusCode(200).body("code", equalTo(code));
    }

    @Test
    void whenTheLockoutCannotCountNoSecretIsEvaluated() {
        long tenant = newTenant();
        String code = writtenCard(tenant, 1, "E0001", "owner-mac");
        String prefix = ConfigProvider.getConfig().getValue("membercard.common.redis-key-prefix", String.class);
        // Redis answers the lockout's script with an error (a key of the wrong type where the caller's count is).
        String key = prefix + ":mac:caller-fail:{" + tenant + "}:1:7";
        redis.hash(String.class).hset(key, "x", "y");
        try {
            read(tenant, code, "owner-mac").statusCode(200).body("status", equalTo(601))
                    .body("message", equalTo("card secrets cannot be checked at the moment; try again in a minute"));
            read(tenant, code, "wrong").body("status", equalTo(601));
        } finally {
            redis.key().del(key);
        }
        read(tenant, code, "owner-mac").statusCode(200).body("code", equalTo(code));
    }
}
