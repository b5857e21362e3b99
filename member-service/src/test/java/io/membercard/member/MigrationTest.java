package io.membercard.member;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.vertx.mutiny.sqlclient.Pool;

/** S1-39 with WireMock playing card-service's and payment-service's sides of the migration. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServices.class)
class MigrationTest {
    private static final String MIGRATE = "/api/member/member/migrate";
    private final CircuitBreakerMaintenance breakers;
    private final Pool pool;

    MigrationTest(CircuitBreakerMaintenance breakers, Pool pool) {
        this.breakers = breakers;
        this.pool = pool;
    }

    @BeforeEach
    void answers() {
        OtherServices.reset();
        breakers.resetAll();
        WireMock wm = OtherServices.wiremock();
        wm.register(post(urlPathEqualTo("/internal/service/migrations/cards")).atPriority(10).willReturn(okJson("""
                {"status":200,"message":"","data":{"migrationId":"{{jsonPath request.body '$.migrationId'}}",\
                "dryRun":{{jsonPath request.body '$.dryRun'}},"cards":{{size (jsonPath request.body '$.members')}},\
                "classesCreated":0,"conflicts":[],"copies":[{{#each (jsonPath request.body '$.members') as |m|}}\
                {{#if @index}},{{/if}}{"fromCardId":{{m.cardId}},"card":{"id":{{math m.cardId '+' 900000000}},\
                "code":"M{{m.cardId}}","status":2,"statusName":"正常","shopId":7,"shopName":"New shop",\
                "cardClassId":5,"cardClassName":"Gold","sendMode":4,"memberId":{{m.memberId}},\
                "writtenAt":null,"version":1,"pointsValidDays":0}}{{/each}}]}}""")));
        wm.register(post(urlPathEqualTo("/internal/service/accounts/migrate")).atPriority(10).willReturn(okJson(
                "{\"status\":200,\"message\":\"\",\"data\":{\"migrationId\":\"x\",\"dryRun\":false,\"accounts\":2,"
                        + "\"actualBalance\":30.00,\"giveBalance\":3.00,\"points\":4,\"cards\":[]}}")));
        wm.register(post(urlPathEqualTo("/internal/service/migrations/cards/finish")).atPriority(10)
                .willReturn(okJson("{\"status\":200,\"message\":\"\",\"data\":2}")));
        wm.register(post(urlPathEqualTo("/internal/service/migrations/cards/abort")).atPriority(10)
                .willReturn(okJson("{\"status\":200,\"message\":\"\",\"data\":2}")));
    }

    private static String body(Members from, Members to, boolean dry) {
        return "{\"tenantIdByMemberExport\":" + from.tenant + ",\"tenantIdByMemberImport\":" + to.tenant
                + ",\"shopId\":7,\"shopName\":\"New shop\",\"dryRun\":" + dry + "}";
    }

    /** Two members in shop 7 (one at level Gold, with money), one in shop 8. */
    private static long[] shop(Members t) {
        long gold = t.save("memberlevel", "{\"name\":\"Gold\",\"level\":2,\"discount\":9}");
        String shop7 = Tokens.tenant(t.tenant, "cashier").shop(7).bearer();
        long a = t.post(shop7, "/api/member/member/create", "{\"name\":\"A\",\"phone\":\"" + Members.phone()
                + "\",\"cardSendMode\":4,\"cardClassId\":1,\"memberLevelId\":" + gold + "}").statusCode(200)
                .extract().jsonPath().getLong("data");
        long b = t.post(shop7, "/api/member/member/create", "{\"name\":\"B\",\"phone\":\"" + Members.phone()
                + "\",\"cardSendMode\":4,\"cardClassId\":1}").statusCode(200).extract().jsonPath().getLong("data");
        long c = t.post(Tokens.tenant(t.tenant, "cashier").shop(8).bearer(), "/api/member/member/create",
                "{\"name\":\"C\",\"phone\":\"" + Members.phone() + "\",\"cardSendMode\":4,\"cardClassId\":1}")
                .statusCode(200).extract().jsonPath().getLong("data");
        t.account(a, 1, "20.00", "3.00", 4, null);
        t.account(b, 1, "10.00", "0.00", 0, null);
        t.account(c, 1, "99.00", "0.00", 0, null);
        return new long[]{a, b, c};
    }

    @Test
    void aShopMovesWithItsMembersLevelsAndFiguresAndTheAuditRecordSaysWhat() {
        Members from = new Members();
        Members to = new Members();
        long[] ids = shop(from);
        String admin = Tokens.tenant(1, "platform-admin").bearer();
        JsonPath dry = from.post(admin, MIGRATE, body(from, to, true)).statusCode(200).extract().jsonPath();
        assertThat(dry.getString("data.state")).isEqualTo("DRY_RUN");
        assertThat(dry.getInt("data.members")).isEqualTo(2);
        assertThat(dry.getString("data.actualBalance")).isEqualTo("30.0");
        from.get(from.manager, "/api/member/member/getlist").body("totalCount", equalTo(3));

        JsonPath done = from.post(admin, MIGRATE, body(from, to, false)).statusCode(200).extract().jsonPath();
        assertThat(done.getString("data.state")).isEqualTo("DONE");
        assertThat(done.getInt("data.members")).isEqualTo(2);
        assertThat(done.getInt("data.accounts")).isEqualTo(2);
        assertThat(done.getString("data.migrationId")).startsWith("MG-");
        from.get(admin, "/api/member/member/getmigration?id=" + done.getString("data.migrationId"))
                .body("state", equalTo("DONE")).body("giveBalance", equalTo(3.0f));

        from.get(from.manager, "/api/member/member/getlist").body("totalCount", equalTo(1))
                .body("data[0].id", equalTo((int) ids[2])).body("sumData.balance", equalTo(99.0f));
        to.get(to.manager, "/api/member/member/getlist").body("totalCount", equalTo(2))
                .body("data.cardCode", contains("M" + ids[1], "M" + ids[0])).body("data[1].memberLevelName",
                        equalTo("Gold"));
        // payment-service's MIGRATED_IN events bring the money into the new tenant's figures.
        to.account(ids[0] + 900_000_000L, 1, "20.00", "3.00", 4, null);
        to.account(ids[1] + 900_000_000L, 1, "10.00", "0.00", 0, null);
        to.get(to.manager, "/api/member/member/getlist").body("sumData.balance", equalTo(33.0f));
        to.get(to.manager, "/api/member/memberlevel/getlist").body("name", contains("Gold"));
        // Running it again moves nothing more.
        JsonPath again = from.post(admin, MIGRATE, body(from, to, false)).statusCode(200).extract().jsonPath();
        assertThat(again.getInt("data.members")).isZero();
        to.get(to.manager, "/api/member/member/getlist").body("totalCount", equalTo(2));
        KeptSums.assertKept(pool, from.tenant);
        KeptSums.assertKept(pool, to.tenant);
    }

    @Test
    void aRefusedMoveOfTheMoneyUndoesTheCardsAndAStopPartWayIsFinishedByRunningAgain() {
        Members from = new Members();
        Members to = new Members();
        shop(from);
        String admin = Tokens.tenant(1, "platform-admin").bearer();
        WireMock wm = OtherServices.wiremock();
        wm.register(post(urlPathEqualTo("/internal/service/accounts/migrate")).atPriority(1)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":400,\"message\":\"cards: card M1 of tenant 2 already has an account in "
                                + "use\"}")));
        from.post(admin, MIGRATE, body(from, to, false)).statusCode(400).body("message", startsWith("cards: card M1"));
        assertThat(wm.find(postRequestedFor(urlPathEqualTo("/internal/service/migrations/cards/abort")))).hasSize(1);
        from.get(from.manager, "/api/member/member/getlist").body("totalCount", equalTo(3));
        to.get(to.manager, "/api/member/member/getlist").body("totalCount", equalTo(0));

        answers();
        wm.register(post(urlPathEqualTo("/internal/service/migrations/cards/finish")).atPriority(1)
                .willReturn(aResponse().withStatus(503)));
        from.post(admin, MIGRATE, body(from, to, false)).statusCode(500).body("message", startsWith("a service did "
                + "not answer"));
        answers();
        JsonPath done = from.post(admin, MIGRATE, body(from, to, false)).statusCode(200).extract().jsonPath();
        assertThat(done.getString("data.state")).isEqualTo("DONE");
        to.get(to.manager, "/api/member/member/getlist").body("totalCount", equalTo(2));
        from.get(from.manager, "/api/member/member/getlist").body("totalCount", equalTo(1));
    }

    /**
     * The operator runs a migration again while its first run still waits for payment-service: the second run moves
     * the money and finishes. The first run's late refusal then undoes nothing (the cards' copies carry the money now)
     * and records nothing: the migration is no longer its own.
     */
    @Test
    void aRunOvertakenByAnotherRunOfTheSameMigrationUndoesAndRecordsNothing() throws Exception {
        Members from = new Members();
        Members to = new Members();
        shop(from);
        String admin = Tokens.tenant(1, "platform-admin").bearer();
        WireMock wm = OtherServices.wiremock();
        wm.register(post(urlPathEqualTo("/internal/service/accounts/migrate")).atPriority(1).inScenario("overtaken")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("moved")
                .willReturn(aResponse().withStatus(400).withFixedDelay(3000)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":400,\"message\":\"cards: refused late\"}")));
        // The second run is still finishing (card-service slow to void the old cards) when the first one's refusal
        // arrives.
        wm.register(post(urlPathEqualTo("/internal/service/migrations/cards/finish")).atPriority(1)
                .willReturn(okJson("{\"status\":200,\"message\":\"\",\"data\":2}").withFixedDelay(5000)));
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(
                () -> from.post(admin, MIGRATE, body(from, to, false)).extract().statusCode());
        for (int i = 0; i < 200 && wm.find(postRequestedFor(urlPathEqualTo("/internal/service/accounts/migrate")))
                .isEmpty(); i++) {
            Thread.sleep(25);
        }
        JsonPath second = from.post(admin, MIGRATE, body(from, to, false)).statusCode(200).extract().jsonPath();
        assertThat(second.getString("data.state")).isEqualTo("DONE");
        assertThat(first.get(30, TimeUnit.SECONDS)).as("the first run's answer").isEqualTo(400);
        assertThat(wm.find(postRequestedFor(urlPathEqualTo("/internal/service/migrations/cards/abort"))))
                .as("copies undone").isEmpty();
        from.get(admin, "/api/member/member/getmigration?id=" + second.getString("data.migrationId"))
                .body("state", equalTo("DONE")).body("actualBalance", equalTo(30.0f));
        to.get(to.manager, "/api/member/member/getlist").body("totalCount", equalTo(2));
    }

    @Test
    void onlyAPlatformAdminMigratesAndBadInputIsRefused() {
        Members from = new Members();
        from.post(from.manager, MIGRATE, body(from, new Members(), false)).statusCode(403);
        from.post(Tokens.tenant(from.tenant, "admin").bearer(), MIGRATE, body(from, new Members(), false))
                .statusCode(403);
        from.post(null, MIGRATE, "{}").statusCode(401);
        String admin = Tokens.tenant(1, "platform-admin").bearer();
        from.post(admin, MIGRATE, body(from, from, false)).statusCode(400)
                .body("message", equalTo("tenantIdByMemberImport: is the tenant the shop leaves"));
        from.post(admin, MIGRATE, "{\"tenantIdByMemberExport\":1,\"tenantIdByMemberImport\":2}").statusCode(400)
                .body("message", equalTo("shopId: must not be null"));
        from.get(admin, "/api/member/member/getmigration?id=MG-none").statusCode(404);
        from.get(admin, "/api/member/member/getmigration").statusCode(400).body("message", startsWith("id: "));
        from.get(from.manager, "/api/member/member/getmigration?id=MG-none").statusCode(403);
    }
}
