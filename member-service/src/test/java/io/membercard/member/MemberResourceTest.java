package io.membercard.member;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Tokens;
import io.membercard.member.member.PendingMembers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServices.class)
class MemberResourceTest {
    private final Pool pool;
    private final PendingMembers pending;
    private final CircuitBreakerMaintenance breakers;

    MemberResourceTest(Pool pool, PendingMembers pending, CircuitBreakerMaintenance breakers) {
        this.pool = pool;
        this.pending = pending;
        this.breakers = breakers;
    }

    @BeforeEach
    void answers() {
        OtherServices.reset();
        breakers.resetAll();
    }

    private long rows(String sql, long tenant) {
        return pool.preparedQuery(sql).execute(Tuple.of(tenant)).await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void aMemberIsCreatedOnAnIssuedCardAndShownWithLevelTagsAndFigures() {
        Members t = new Members();
        long gold = t.save("memberlevel", "{\"name\":\"Gold\",\"level\":2,\"discount\":9.5}");
        long vip = t.save("membertag", "{\"name\":\"VIP\"}");
        String phone = Members.phone();
        long id = t.post(t.cashier, "/api/member/member/create", "{\"name\":\"张三\",\"phone\":\"" + phone
                + "\",\"sex\":1,\"birthday\":\"1990-03-07\",\"idCard\":\"110101199003074573\",\"address\":\"Road 1\","
                + "\"cardCode\":\"A0001\",\"cardMac\":\"mac-1\",\"memberLevelId\":" + gold + ",\"memberTagIds\":["
                + vip + "],\"balance\":999,\"userId\":5}").statusCode(200).body("status", equalTo(200)).extract()
                .jsonPath().getLong("data");
        assertThat(OtherServices.wiremock().find(postRequestedFor(urlPathEqualTo("/internal/service/cards/issue"))
                .withRequestBody(containing("\"memberId\":" + id))).get(0).getBodyAsString())
                .contains("\"cardCode\":\"A0001\"", "\"mac\":\"mac-1\"", "\"sendMode\":1", "\"tenantId\":" + t.tenant);
        t.account(id, 3, "100.00", "20.00", 15, null);
        OtherServices.wiremock().register(get(urlPathEqualTo("/internal/accounts/by-cards")).atPriority(1)
                .willReturn(okJson("[{\"cardId\":" + id + ",\"totalRecharge\":130.00,\"actualRecharge\":110.00,"
                        + "\"giveRecharge\":20.00,\"totalExpense\":10.00,\"actualExpense\":10.00,\"giveExpense\":0.00,"
                        + "\"balance\":120.00,\"actualBalance\":100.00,\"giveBalance\":20.00,\"totalPoints\":15,"
                        + "\"actualPoints\":15,\"usedPoints\":0,\"pointsDisabledDate\":\"2027-11-23 10:00:00\","
                        + "\"timestamp\":\"4\"}]")));
        // A cashier sees the member with its phone and identity numbers masked; a manager sees them whole.
        t.get(t.cashier, "/api/member/member/get?id=" + id).statusCode(200).body("name", equalTo("张三"))
                .body("phone", equalTo(phone.substring(0, 3) + "****" + phone.substring(7)))
                .body("idCard", equalTo("**************4573")).body("balance", equalTo(120.0f));
        t.get(t.manager, "/api/member/member/get?id=" + id).statusCode(200)
                .body("id", equalTo((int) id)).body("cardId", equalTo((int) id)).body("cardCode", equalTo("A0001"))
                .body("cardMac", equalTo("")).body("cardClassName", equalTo("Gold")).body("cardStatus", equalTo(2))
                .body("cardStatusName", equalTo("正常")).body("cardSendMode", equalTo(1))
                .body("effectiveTime", equalTo("2026-11-20 10:00:00")).body("name", equalTo("张三"))
                .body("sex", equalTo(1)).body("birthday", equalTo("1990-03-07 00:00:00")).body("phone", equalTo(phone))
                .body("idCard", equalTo("110101199003074573")).body("code", equalTo("A0001"))
                .body("memberLevelId", equalTo((int) gold)).body("memberLevel", equalTo(2))
                .body("memberLevelName", equalTo("Gold")).body("memberTagIds", contains((int) vip))
                .body("memberTagNames", contains("VIP")).body("memberTags[0].name", equalTo("VIP"))
                .body("balance", equalTo(120.0f)).body("actualExpense", equalTo(10.0f))
                .body("pointsDisabledDate", equalTo("2027-11-23 10:00:00"));
        // The list reads member-service's own copy: the account event's figures, summed.
        t.get(t.manager, "/api/member/member/getlist").statusCode(200).body("totalCount", equalTo(1))
                .body("data[0].balance", equalTo(120.0f)).body("data[0].totalRecharge", equalTo(120.0f))
                .body("sumData.balance", equalTo(120.0f)).body("sumData.actualPoints", equalTo(15));
        assertThat(rows("select count(*) from outbox_event where tenant_id = $1 and type = 'member.created'",
                t.tenant)).isEqualTo(1);
    }

    @Test
    void keywordsMatchPercentAndUnderscoreAsThemselvesAndWholeCodesAsSent() {
        Members t = new Members();
        long percent = t.create("%off", Members.phone());
        t.create("Xoff", Members.phone());
        long underscore = t.create("5_0 Club", Members.phone());
        t.create("5x0 Club", Members.phone());
        long coded = t.create("Lucy", Members.phone());
        t.event("card.changed", "{\"cardId\":" + coded + ",\"code\":\"Q_\",\"status\":2,\"cardClassId\":1,"
                + "\"cardClassName\":\"Gold\",\"sendMode\":4,\"shopId\":1,\"shopName\":\"Shop\",\"memberId\":"
                + coded + ",\"writtenAt\":null,\"version\":5}");
        given().header("Authorization", t.manager).queryParam("keyword", "%").get("/api/member/member/getlist")
                .then().body("data.id", contains((int) percent)).body("totalCount", equalTo(1));
        t.get(t.manager, "/api/member/member/getlist?keyword=5_0").body("data.id", contains((int) underscore))
                .body("totalCount", equalTo(1));
        // One or two characters: the start of a name, or a whole card code compared as sent, underscore and all.
        t.get(t.manager, "/api/member/member/getlist?keyword=Q_").body("data.id", contains((int) coded))
                .body("totalCount", equalTo(1));
        t.get(t.manager, "/api/member/member/search?keyword=Q_").statusCode(200).body("id", contains((int) coded));
        given().header("Authorization", t.manager).queryParam("keyword", "Q%").get("/api/member/member/getlist")
                .then().body("totalCount", equalTo(0));
    }

    @Test
    void hostilePagesAndDatesAreRefusedNamingTheField() {
        Members t = new Members();
        t.create("Lucy", Members.phone());
        t.get(t.manager, "/api/member/member/getlist?pageIndex=2147483647").statusCode(400)
                .body("message", startsWith("pageIndex: must be at most 5000 with pageSize 20"));
        t.get(t.manager, "/api/member/member/getlistbydate?pageIndex=201&pageSize=500").statusCode(400)
                .body("message", startsWith("pageIndex: must be at most 200 with pageSize 500"));
        given().header("Authorization", t.manager).queryParam("endDate", "+999999999-12-31 23:59:59")
                .get("/api/member/member/getlistbydate").then().statusCode(400)
                .body("message", equalTo("endDate: must be a date from 0001-01-01 to 9999-12-31"));
        given().header("Authorization", t.manager).queryParam("startDate", "0001-01-01")
                .queryParam("endDate", "9999-12-31").get("/api/member/member/getlistbydate").then().statusCode(200)
                .body("totalCount", equalTo(1));
    }

    @Test
    void listsFilterByKeywordLevelShopAndCardStatusAndSumTheWholeSelection() {
        Members t = new Members();
        long silver = t.save("memberlevel", "{\"name\":\"Silver\",\"level\":1,\"discount\":9.8}");
        String phone = Members.phone();
        long a = t.create("李雷", phone);
        long b = t.create("Han Meimei", Members.phone());
        long c = t.post(Tokens.tenant(t.tenant, "cashier").shop(2).bearer(), "/api/member/member/create",
                "{\"name\":\"Lucy\",\"phone\":\"" + Members.phone() + "\",\"cardSendMode\":4,\"cardClassId\":1,"
                        + "\"memberLevelId\":" + silver + "}")
                .statusCode(200).extract().jsonPath().getLong("data");
        t.account(a, 1, "10.00", "0.00", 0, null);
        t.account(b, 1, "20.50", "5.00", 2, null);
        t.account(c, 2, "30.00", "0.00", 0, null);
        t.account(c, 1, "999.00", "0.00", 0, null);
        t.get(t.manager, "/api/member/member/getlist?pageSize=2").statusCode(200).body("totalCount", equalTo(3))
                .body("data", hasSize(2)).body("data[0].id", equalTo((int) c)).body("sumData.balance", equalTo(65.5f))
                .body("sumData.giveBalance", equalTo(5.0f)).body("pageSize", equalTo(2));
        t.get(t.manager, "/api/member/member/getlist?keyword=" + phone.substring(4)).body("totalCount", equalTo(1))
                .body("data[0].name", equalTo("李雷")).body("sumData.balance", equalTo(10.0f));
        // One character: names starting with it, summed from the kept sums by initial.
        t.get(t.manager, "/api/member/member/getlist?keyword=李").body("data.name", contains("李雷"))
                .body("totalCount", equalTo(1)).body("sumData.balance", equalTo(10.0f));
        t.get(t.manager, "/api/member/member/getlist?keyword=L").body("data.name", contains("Lucy"))
                .body("sumData.balance", equalTo(30.0f));
        t.get(t.manager, "/api/member/member/getlist?keyword=V" + b).body("data.id", contains((int) b));
        t.get(t.manager, "/api/member/member/getlist?memberLevel=" + silver).body("totalCount", equalTo(1))
                .body("sumData.balance", equalTo(30.0f));
        t.get(t.manager, "/api/member/member/getlist?shopId=2").body("data.id", contains((int) c));
        // A cashier lists only by a whole phone number or card code, among its shop's members.
        t.get(t.cashier, "/api/member/member/getlist?keyword=" + phone).body("totalCount", equalTo(1))
                .body("data[0].id", equalTo((int) a));
        t.get(t.cashier, "/api/member/member/getlist").statusCode(400);
        t.get(t.cashier, "/api/member/member/getlist?shopId=2").statusCode(403);
        t.get(t.manager, "/api/member/member/getlist?status=3").body("totalCount", equalTo(0))
                .body("sumData.balance", equalTo(0.0f));
        // The card of a reports lost: a moves to the sums of lost cards.
        t.event("card.changed", "{\"cardId\":" + a + ",\"code\":\"V" + a + "\",\"status\":3,\"cardClassId\":1,"
                + "\"cardClassName\":\"Gold\",\"sendMode\":4,\"shopId\":1,\"shopName\":\"Shop\",\"memberId\":" + a
                + ",\"writtenAt\":null,\"version\":5}");
        t.get(t.manager, "/api/member/member/getlist?status=3").body("data.id", contains((int) a))
                .body("sumData.balance", equalTo(10.0f)).body("data[0].cardStatusName", equalTo("挂失"));
        t.get(t.manager, "/api/member/member/getlist?keyword=李&status=3").body("totalCount", equalTo(1))
                .body("sumData.balance", equalTo(10.0f));
        t.get(t.manager, "/api/member/member/getlist?keyword=李&status=2").body("totalCount", equalTo(0))
                .body("sumData.balance", equalTo(0.0f));
        KeptSums.assertKept(pool, t.tenant);
        t.get(t.manager, "/api/member/member/getlistbydate?startDate=2000-01-01&endDate=2099-12-31")
                .body("totalCount", equalTo(3)).body("sumData.balance", equalTo(65.5f));
        t.get(t.manager, "/api/member/member/getlistbydate?endDate=2000-01-01").body("totalCount", equalTo(0));
        t.get(t.manager, "/api/member/member/search?keyword=Han").body("id", contains((int) b));
        t.get(t.cashier, "/api/member/member/search?keyword=Han").statusCode(200).body("$", empty());
        t.get(t.manager, "/api/member/member/getlistbyclass?classId=1").body("id", hasSize(3));
        t.get(t.manager, "/api/member/member/getlistbyclass?classId=1&tenantId=" + (t.tenant + 1)).body("$", empty());
        t.get(Tokens.tenant(t.tenant + 1, "platform-admin").bearer(),
                "/api/member/member/getlistbyclass?classId=1&tenantId=" + t.tenant).body("id", hasSize(3));
        t.get(t.manager, "/api/member/member/getcardstatuslist").body("key", hasSize(7))
                .body("[2].value", equalTo("挂失"));
        t.get(t.manager, "/api/member/member/getcardsendmodelist").body("[3].key", equalTo(4));
    }

    @Test
    void searchByMacFindsTheMemberOfTheCardTheTillReadInTheCallersTenant() {
        Members t = new Members();
        long id = t.create("Mac Reader", Members.phone());
        Members other = new Members();
        long stranger = other.create("Stranger", Members.phone());
        OtherServices.wiremock().register(get(urlPathEqualTo("/internal/cards/check-by-mac")).atPriority(1)
                .withQueryParam("mac", com.github.tomakehurst.wiremock.client.WireMock.equalTo("m-known"))
                .willReturn(okJson("{\"status\":200,\"message\":\"\",\"data\":{\"id\":" + id + "}}")));
        OtherServices.wiremock().register(get(urlPathEqualTo("/internal/cards/check-by-mac")).atPriority(1)
                .withQueryParam("mac", com.github.tomakehurst.wiremock.client.WireMock.equalTo("m-foreign"))
                .willReturn(okJson("{\"status\":200,\"message\":\"\",\"data\":{\"id\":" + stranger + "}}")));
        OtherServices.wiremock().register(get(urlPathEqualTo("/internal/cards/check-by-mac")).atPriority(2)
                .willReturn(okJson("{\"status\":602,\"message\":\"card not found, or its card secret does not "
                        + "match\"}")));
        t.get(t.cashier, "/api/member/member/search?mac=m-known").statusCode(200).body("id", contains((int) id));
        // Another tenant's card is no member of this tenant's.
        t.get(t.cashier, "/api/member/member/search?mac=m-foreign").statusCode(200).body("$", empty());
        t.get(t.cashier, "/api/member/member/search?mac=m-wrong").body("status", equalTo(602));
        given().get("/api/member/member/search?mac=m-known").then().statusCode(401);
        t.get(Tokens.tenant(1, "platform-admin").bearer(), "/api/member/member/search?mac=m-known").statusCode(403);
    }

    @Test
    void aReplacementMovesTheMemberAndItsFiguresToTheNewCard() {
        Members t = new Members();
        long id = t.create("Wang", Members.phone());
        t.account(id, 2, "50.00", "5.00", 7, null);
        long newCard = id + 500_000_000L;
        // payment-service moves the account first, then card-service's events re-point the member.
        t.account(newCard, 3, "50.00", "5.00", 7, id);
        t.get(t.manager, "/api/member/member/getlist").body("sumData.balance", equalTo(0.0f));
        t.event("card.changed", "{\"cardId\":" + id + ",\"code\":\"V" + id + "\",\"status\":6,\"cardClassId\":1,"
                + "\"cardClassName\":\"Gold\",\"sendMode\":4,\"shopId\":1,\"shopName\":\"Shop\",\"memberId\":null,"
                + "\"previousMemberId\":" + id + ",\"version\":7}");
        t.event("card.changed", "{\"cardId\":" + newCard + ",\"code\":\"N" + id + "\",\"status\":2,"
                + "\"cardClassId\":1,\"cardClassName\":\"Gold\",\"sendMode\":1,\"shopId\":1,\"shopName\":\"Shop\","
                + "\"memberId\":" + id + ",\"writtenAt\":1763600000000,\"version\":3}");
        t.get(t.manager, "/api/member/member/get?id=" + id).body("cardId", equalTo((int) newCard))
                .body("cardCode", equalTo("N" + id)).body("cardStatus", equalTo(2));
        t.get(t.manager, "/api/member/member/getlist").body("sumData.balance", equalTo(55.0f))
                .body("sumData.actualPoints", equalTo(7)).body("totalCount", equalTo(1));
        // A repeated old event changes nothing.
        t.account(newCard, 2, "1.00", "0.00", 0, null);
        t.get(t.manager, "/api/member/member/getlist").body("sumData.balance", equalTo(55.0f));
        t.get(t.manager, "/api/member/member/getlist?keyword=W").body("sumData.balance", equalTo(55.0f));
        KeptSums.assertKept(pool, t.tenant);
    }

    @Test
    void aRefusedCardLeavesNoMemberAndALostAnswerIsSettledLater() {
        Members t = new Members();
        OtherServices.wiremock().register(post(urlPathEqualTo("/internal/service/cards/issue")).atPriority(1)
                .withRequestBody(containing("TAKEN")).willReturn(okJson("{\"status\":200,\"message\":\"\",\"data\":"
                        + "[{\"key\":\"k\",\"status\":400,\"message\":\"cardCode: card TAKEN already belongs to a "
                        + "member\"}]}")));
        String phone = Members.phone();
        t.post(t.cashier, "/api/member/member/create", "{\"name\":\"A\",\"phone\":\"" + phone + "\",\"cardCode\":"
                + "\"TAKEN\"}").statusCode(400).body("message", equalTo("cardCode: card TAKEN already belongs to a "
                        + "member"));
        t.post(t.cashier, "/api/member/member/create", "{\"name\":\"A\",\"phone\":\"" + phone + "\",\"cardCode\":"
                + "\"NOPE\"}").statusCode(200);
        assertThat(rows("select count(*) from member where tenant_id = $1", t.tenant)).isEqualTo(1);

        OtherServices.wiremock().register(post(urlPathEqualTo("/internal/service/cards/issue")).atPriority(1)
                .withRequestBody(containing("LOST")).willReturn(aResponse().withStatus(503)));
        t.post(t.cashier, "/api/member/member/create", "{\"name\":\"B\",\"phone\":\"" + Members.phone()
                + "\",\"cardCode\":\"LOST\"}").statusCode(500).body("message", startsWith("the card service did "
                        + "not answer"));
        assertThat(rows("select count(*) from member where tenant_id = $1 and status = 0", t.tenant)).isEqualTo(1);
        t.get(t.manager, "/api/member/member/getlist").body("totalCount", equalTo(1));
        pending.resolve(0).await().indefinitely();
        assertThat(rows("select count(*) from member where tenant_id = $1 and status = 0", t.tenant)).isZero();
    }

    @Test
    void aMemberIsChangedAndItsSumsFollowItsLevel() {
        Members t = new Members();
        long gold = t.save("memberlevel", "{\"name\":\"Gold\",\"level\":2,\"discount\":9}");
        long id = t.create("Zhao", Members.phone());
        t.account(id, 1, "40.00", "0.00", 0, null);
        String other = Members.phone();
        t.create("Qian", other);
        // A level decides discounts: a cashier does not change it, a manager does.
        t.post(t.cashier, "/api/member/member/update", "{\"id\":" + id + ",\"memberLevelId\":" + gold
                + ",\"address\":\"New Road\"}").statusCode(403);
        t.post(t.manager, "/api/member/member/update", "{\"id\":" + id + ",\"memberLevelId\":" + gold
                + ",\"address\":\"New Road\"}").statusCode(200).body("status", equalTo(200));
        t.get(t.manager, "/api/member/member/get?id=" + id).body("memberLevelName", equalTo("Gold"))
                .body("address", equalTo("New Road")).body("name", equalTo("Zhao"));
        t.get(t.manager, "/api/member/member/getlist?memberLevel=" + gold).body("sumData.balance", equalTo(40.0f));
        t.post(t.cashier, "/api/member/member/update", "{\"id\":" + id + ",\"phone\":\"" + other + "\"}")
                .statusCode(400).body("message", equalTo("phone: belongs to another member already"));
        t.post(t.cashier, "/api/member/member/update", "{\"id\":" + id + ",\"idCard\":\"110101199003074578\"}")
                .statusCode(400).body("message", equalTo("idCard: has a wrong check digit"));
        t.post(t.manager, "/api/member/member/update", "{\"id\":" + id + ",\"memberLevelId\":0}").statusCode(200);
        t.get(t.manager, "/api/member/member/getlist?memberLevel=" + gold).body("totalCount", equalTo(0));
        // A new name moves the member's figures to its new initial.
        t.post(t.cashier, "/api/member/member/update", "{\"id\":" + id + ",\"name\":\"Wang\"}").statusCode(200);
        t.get(t.manager, "/api/member/member/getlist?keyword=Z").body("totalCount", equalTo(0))
                .body("sumData.balance", equalTo(0.0f));
        t.get(t.manager, "/api/member/member/getlist?keyword=W").body("totalCount", equalTo(1))
                .body("sumData.balance", equalTo(40.0f));
        KeptSums.assertKept(pool, t.tenant);
        t.get(t.manager, "/api/member/member/get?id=" + id).body("memberLevelId", equalTo(0))
                .body("memberLevelName", equalTo(""));
        new Members().post(Tokens.manager(t.tenant + 7), "/api/member/member/update", "{\"id\":" + id
                + ",\"name\":\"X\"}").statusCode(404);
        t.get(Tokens.manager(t.tenant + 7), "/api/member/member/get?id=" + id).statusCode(404);
    }

    @Test
    void aReconciliationCatchesUpWithPaymentServiceAfterMissedEvents() {
        Members t = new Members();
        long id = t.create("Sun", Members.phone());
        long gone = t.create("Li", Members.phone());
        t.account(id, 1, "10.00", "0.00", 0, null);
        t.account(gone, 4, "7.00", "0.00", 0, null);
        // payment-service knows more than the events told: the account is at version 3, and gone's moved away.
        OtherServices.wiremock().register(get(urlPathEqualTo("/internal/service/accounts/page")).atPriority(1)
                .withQueryParam("afterCardId", com.github.tomakehurst.wiremock.client.WireMock.equalTo("0"))
                .willReturn(okJson("[{\"cardId\":" + id + ",\"totalRecharge\":25.00,\"actualRecharge\":25.00,"
                        + "\"giveRecharge\":0.00,\"totalExpense\":0.00,\"actualExpense\":0.00,\"giveExpense\":0.00,"
                        + "\"balance\":25.00,\"actualBalance\":25.00,\"giveBalance\":0.00,\"totalPoints\":2,"
                        + "\"actualPoints\":2,\"usedPoints\":0,\"pointsDisabledDate\":\"2027-01-01 00:00:00\","
                        + "\"timestamp\":\"3\"}]")));
        t.get(t.manager, "/api/member/member/getlist").body("sumData.balance", equalTo(17.0f));
        t.post(t.cashier, "/api/member/member/reconcile", "{}").statusCode(403);
        t.post(Tokens.tenant(t.tenant, "admin").bearer(), "/api/member/member/reconcile", "{}").statusCode(200)
                .body("data.accounts", equalTo(1)).body("data.corrected", equalTo(1)).body("data.removed",
                        equalTo(1));
        t.get(t.manager, "/api/member/member/getlist").body("sumData.balance", equalTo(25.0f))
                .body("sumData.actualPoints", equalTo(2)).body("data.find { it.id == " + id + " }.balance",
                        equalTo(25.0f))
                .body("data.find { it.id == " + id + " }.pointsDisabledDate",
                        equalTo("2027-01-01 00:00:00"));
        KeptSums.assertKept(pool, t.tenant);
        // A copied figure changed behind the events' back (same version) is found, logged and copied again.
        pool.preparedQuery("update account_projection set actual_balance = actual_balance + 5"
                + " where tenant_id = $1 and card_id = $2").execute(Tuple.of(t.tenant, id)).await().indefinitely();
        try (var log = io.membercard.common.testing.LogCapture.of(
                io.membercard.member.projection.AccountEvents.class)) {
            t.post(Tokens.tenant(t.tenant, "admin").bearer(), "/api/member/member/reconcile", "{}").statusCode(200)
                    .body("data.corrected", equalTo(1));
            org.assertj.core.api.Assertions.assertThat(log.messages())
                    .anySatisfy(line -> org.assertj.core.api.Assertions.assertThat(line)
                            .contains("tenant " + t.tenant + " card " + id + ": the copy"));
        }
        t.get(t.manager, "/api/member/member/getlist").body("sumData.balance", equalTo(25.0f));
        KeptSums.assertKept(pool, t.tenant);
        t.post(Tokens.tenant(t.tenant, "admin").bearer(), "/api/member/member/reconcile?tenantId=x", "{}")
                .statusCode(400).body("message", startsWith("tenantId: "));
        // A platform admin names the tenant.
        t.post(Tokens.tenant(1, "platform-admin").bearer(), "/api/member/member/reconcile?tenantId=" + t.tenant, "{}")
                .statusCode(200).body("data.tenantId", equalTo((int) t.tenant)).body("data.corrected", equalTo(0));
        t.post(Tokens.tenant(t.tenant, "admin").bearer(), "/api/member/member/reconcile?tenantId=" + (t.tenant + 1),
                "{}").statusCode(404);
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        Members t = new Members();
        String create = "/api/member/member/create";
        t.post(t.cashier, create, "{\"phone\":\"" + Members.phone() + "\",\"cardSendMode\":4,\"cardClassId\":1}")
                .statusCode(400).body("message", equalTo("name: is required"));
        t.post(t.cashier, create, "{\"name\":\"A\",\"cardSendMode\":4,\"cardClassId\":1}").statusCode(400)
                .body("message", equalTo("phone: is required"));
        t.post(t.cashier, create, "{\"name\":\"A\",\"phone\":\"12345\",\"cardSendMode\":4,\"cardClassId\":1}")
                .statusCode(400)
                .body("message", equalTo("phone: must be a mobile number of 11 digits starting 13 to 19"));
        t.post(t.cashier, create, "{\"name\":\"A\",\"phone\":\"" + Members.phone() + "\",\"cardSendMode\":1}")
                .statusCode(400).body("message", startsWith("cardCode: is required"));
        t.post(t.cashier, create, "{\"name\":\"A\",\"phone\":\"" + Members.phone() + "\",\"cardSendMode\":4}")
                .statusCode(400).body("message", equalTo("cardClassId: is required for a virtual card"));
        t.post(t.cashier, create, "{\"name\":\"A\",\"phone\":\"" + Members.phone() + "\",\"cardCode\":\"A\","
                + "\"sex\":5}").statusCode(400).body("message", startsWith("sex: "));
        t.post(t.cashier, create, "{\"name\":\"A\",\"phone\":\"" + Members.phone() + "\",\"cardCode\":\"A\","
                + "\"birthday\":\"2999-01-01\"}").statusCode(400).body("message", startsWith("birthday: "));
        t.post(t.cashier, create, "{\"name\":\"A\",\"phone\":\"" + Members.phone() + "\",\"cardCode\":\"A\","
                + "\"memberLevelId\":123456789}").statusCode(400).body("message", startsWith("memberLevelId: "));
        t.post(t.cashier, create, "{\"name\":\"A\",\"phone\":\"" + Members.phone() + "\",\"cardCode\":\"A\","
                + "\"memberTagIds\":[123456789]}").statusCode(400).body("message", startsWith("memberTagIds: "));
        t.post(t.cashier, create, "{\"name\":\"A\",\"phone\":\"x\",").statusCode(400);
        t.post(Tokens.manager(t.tenant), create, "{\"name\":\"A\",\"phone\":\"" + Members.phone()
                + "\",\"cardCode\":\"A\"}").statusCode(400).body("message", startsWith("shopId: "));
        t.post(t.cashier, "/api/member/member/update", "{\"name\":\"A\"}").statusCode(400)
                .body("message", equalTo("id: is required"));
        t.get(t.cashier, "/api/member/member/get?id=x").statusCode(400).body("message", equalTo("id: must be a "
                + "whole number"));
        t.get(t.cashier, "/api/member/member/getlist?pageSize=501").statusCode(400).body("message", startsWith(
                "pageSize: "));
        t.get(t.cashier, "/api/member/member/getlist?status=9").statusCode(400).body("message", startsWith("status: "));
        t.get(t.cashier, "/api/member/member/getlistbydate?startDate=yesterday").statusCode(400)
                .body("message", startsWith("startDate: "));
        t.get(t.manager, "/api/member/member/getlistbyclass").statusCode(400).body("message", equalTo("classId: is "
                + "required"));
        t.get(t.cashier, "/api/member/member/search").statusCode(400).body("message", startsWith("keyword: "));
        t.get(t.cashier, "/api/member/member/get?id=999999999").statusCode(404).body("status", equalTo(404));
    }

    @Test
    void everyMemberEndpointRefusesNoTokenAndAForeignRole() {
        String[] gets = {"get?id=1", "getlist", "getlistbydate", "getlistbyclass?classId=1", "getcardstatuslist",
                "getcardsendmodelist", "search?keyword=abc"};
        String platform = Tokens.tenant(1, "platform-admin").bearer();
        for (String path : gets) {
            given().get("/api/member/member/" + path).then().statusCode(401).body("status", equalTo(401));
            if (!path.startsWith("getlistbyclass")) {
                given().header("Authorization", platform).get("/api/member/member/" + path).then().statusCode(403);
            }
        }
        for (String path : new String[]{"create", "update"}) {
            new Members().post(null, "/api/member/member/" + path, "{}").statusCode(401);
            new Members().post(platform, "/api/member/member/" + path, "{}").statusCode(403);
        }
    }

    @Test
    void levelsTagsAndSettingsAreKeptByManagers() {
        Members t = new Members();
        long gold = t.save("memberlevel", "{\"name\":\"Gold\",\"level\":3,\"discount\":8.8,\"imagePath\":\"/g.png\"}");
        t.save("memberlevel", "{\"name\":\"Silver\",\"level\":1,\"discount\":10}");
        t.get(t.cashier, "/api/member/memberlevel/getlist").body("name", contains("Silver", "Gold"))
                .body("[1].discount", equalTo(8.8f)).body("[1].level", equalTo(3)).body("[1].id", equalTo((int) gold));
        t.post(t.manager, "/api/member/memberlevel/save", "{\"name\":\"X\",\"level\":1,\"discount\":0}")
                .statusCode(400).body("message", startsWith("discount: "));
        t.post(t.manager, "/api/member/memberlevel/save", "{\"name\":\"X\",\"level\":1,\"discount\":9.555}")
                .statusCode(400).body("message", startsWith("discount: "));
        t.post(t.cashier, "/api/member/memberlevel/save", "{\"name\":\"X\",\"level\":1,\"discount\":9}")
                .statusCode(403);
        t.post(t.manager, "/api/member/memberlevel/disable?id=" + gold, "{}").statusCode(200);
        t.get(t.cashier, "/api/member/memberlevel/getlist").body("name", contains("Silver"));
        t.post(Tokens.manager(t.tenant + 1), "/api/member/memberlevel/disable?id=" + gold, "{}").statusCode(404);
        t.post(t.cashier, "/api/member/memberlevel/disable?id=" + gold, "{}").statusCode(403);
        t.post(t.manager, "/api/member/memberlevel/disable?id=x", "{}").statusCode(400)
                .body("message", startsWith("id: "));

        long tag = t.save("membertag", "{\"name\":\"VIP\"}");
        t.get(t.cashier, "/api/member/membertag/getlist").body("name", contains("VIP")).body("[0].id",
                equalTo((int) tag));
        t.post(t.manager, "/api/member/membertag/save", "{\"id\":" + tag + ",\"name\":\"\"}").statusCode(400)
                .body("message", equalTo("name: must not be blank"));
        t.post(Tokens.manager(t.tenant + 1), "/api/member/membertag/save", "{\"id\":" + tag + ",\"name\":\"X\"}")
                .statusCode(404);
        t.get(Tokens.manager(t.tenant + 1), "/api/member/membertag/getlist").body("$", empty());
        t.post(Tokens.manager(t.tenant + 1), "/api/member/membertag/disable?id=" + tag, "{}").statusCode(404);
        t.post(t.cashier, "/api/member/membertag/disable?id=" + tag, "{}").statusCode(403);
        t.post(t.manager, "/api/member/membertag/disable?id=x", "{}").statusCode(400)
                .body("message", startsWith("id: "));
        t.post(t.manager, "/api/member/membertag/disable?id=" + tag, "{}").statusCode(200);
        t.get(t.cashier, "/api/member/membertag/getlist").body("$", empty());
        for (String path : new String[]{"memberlevel/getlist", "membertag/getlist", "setting/getlist"}) {
            given().get("/api/member/" + path).then().statusCode(401);
        }

        t.get(t.cashier, "/api/member/setting/getpasswordrequired").statusCode(200).body(equalTo("false"));
        t.post(t.manager, "/api/member/setting/save", "{\"key\":1,\"value\":true}").statusCode(200)
                .body("data", equalTo(1));
        t.get(t.cashier, "/api/member/setting/getpasswordrequired").body(equalTo("true"));
        t.post(t.manager, "/api/member/setting/save", "{\"key\":3,\"value\":true}").statusCode(200);
        t.post(t.manager, "/api/member/setting/save", "{\"key\":2,\"value\":true}").statusCode(400)
                .body("message", startsWith("value: "));
        t.post(t.manager, "/api/member/setting/save", "{\"key\":9,\"value\":true}").statusCode(400)
                .body("message", startsWith("key: "));
        t.post(t.manager, "/api/member/setting/save", "{\"key\":1}").statusCode(400)
                .body("message", equalTo("value: must not be null"));
        t.post(t.cashier, "/api/member/setting/save", "{\"key\":1,\"value\":false}").statusCode(403);
        t.get(t.cashier, "/api/member/setting/getlist").body("key", contains(1, 2, 3))
                .body("value", contains(true, false, true));
        assertThat(rows("select count(*) from outbox_event where tenant_id = $1 and type = 'tenant.settings'"
                + " and payload like '%GIVE_FIRST%'", t.tenant)).isEqualTo(1);
        t.get(Tokens.manager(t.tenant + 1), "/api/member/setting/getlist").body("value", contains(false, false,
                false));
        t.get(Tokens.tenant(1, "platform-admin").bearer(), "/api/member/setting/getlist").statusCode(403);
    }
}
