package io.membercard.member;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Concurrently;
import io.membercard.common.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * What a cashier (a till) may learn about members: the member in front of it, found by a whole phone number, a whole
 * card code or the card's mac, with phone and identity numbers masked, a few look-ups a minute; never a list of
 * strangers. Managers keep browsing and see everything.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServices.class)
class MemberPrivacyTest {
    private static final String ID_CARD = "110101199003074573";
    private final CircuitBreakerMaintenance breakers;

    MemberPrivacyTest(CircuitBreakerMaintenance breakers) {
        this.breakers = breakers;
    }

    @BeforeEach
    void answers() {
        OtherServices.reset();
        breakers.resetAll();
    }

    /** A cashier of {@code shop} of the tenant, user {@code user}. */
    private static String till(Members t, long shop, String user) {
        return Tokens.tenant(t.tenant, "cashier").shop(shop).user(user, "Till " + user).bearer();
    }

    /** A member of {@code shop} with an identity number and a card code; answers its id. */
    private static long member(Members t, long shop, String name, String phone, String cardCode) {
        return t.post(till(t, shop, "creator"), "/api/member/member/create", "{\"name\":\"" + name
                + "\",\"phone\":\"" + phone + "\",\"idCard\":\"" + ID_CARD + "\",\"cardCode\":\""
                + cardCode + "\"}").statusCode(200).extract().jsonPath().getLong("data");
    }

    private static String masked(String phone) {
        return phone.substring(0, 3) + "****" + phone.substring(7);
    }

    private static final String MASKED_ID = "**************4573";

    @Test
    void aCashierCannotEnumerateMembersByPartialKeywords() {
        Members t = new Members();
        String phone = Members.phone();
        member(t, 1, "Han Meimei", phone, "HM" + t.tenant);
        t.create("Hans", Members.phone());
        t.create("李雷", Members.phone());
        t.create("1", Members.phone());
        // Keywords that could be a card code or a phone are compared whole: they find nobody.
        List<String> wholeOnly = List.of("Han", "H", "1", "_", "139", phone.substring(0, 7), phone.substring(3),
                phone.substring(0, 10), "HM");
        // Keywords that can be neither are refused, naming the field.
        List<String> neither = List.of("%", "李", "Han Meimei", "%%", "1%", "13*", "\\_");
        int user = 0;
        for (String keyword : wholeOnly) {
            String cashier = till(t, 1, "enum-" + user++);
            given().header("Authorization", cashier).queryParam("keyword", keyword).get("/api/member/member/search")
                    .then().statusCode(200).body("$", empty());
            given().header("Authorization", cashier).queryParam("keyword", keyword).get("/api/member/member/getlist")
                    .then().statusCode(200).body("data", empty()).body("totalCount", equalTo(0))
                    .body("sumData.balance", equalTo(0.0f));
            given().header("Authorization", cashier).queryParam("keyword", keyword)
                    .get("/api/member/member/getlistbydate").then().statusCode(200).body("data", empty());
        }
        for (String keyword : neither) {
            String cashier = till(t, 1, "enum-" + user++);
            for (String path : List.of("search", "getlist", "getlistbydate")) {
                given().header("Authorization", cashier).queryParam("keyword", keyword)
                        .get("/api/member/member/" + path).then().statusCode(400).body("status", equalTo(400))
                        .body("message", startsWith("keyword: ")).body("data", nullValue());
            }
        }
        // Browsing without a whole key is for managers: a cashier's list needs one, the card class list is refused.
        String cashier = till(t, 1, "browser");
        t.get(cashier, "/api/member/member/getlist").statusCode(400).body("message", startsWith("keyword: "));
        t.get(cashier, "/api/member/member/getlist?status=2").statusCode(400).body("message", startsWith("keyword: "));
        t.get(cashier, "/api/member/member/getlistbydate?startDate=2000-01-01").statusCode(400);
        t.get(cashier, "/api/member/member/getlistbyclass?classId=1").statusCode(403).body("status", equalTo(403));
        t.get(cashier, "/api/member/member/search").statusCode(400).body("message", startsWith("keyword: "));
        // A manager still browses, by any part of a name or phone.
        t.get(t.manager, "/api/member/member/search?keyword=Han").statusCode(200).body("name",
                contains("Hans", "Han Meimei"));
        t.get(t.manager, "/api/member/member/getlist").statusCode(200).body("totalCount", equalTo(4));
        t.get(t.manager, "/api/member/member/getlistbyclass?classId=1").statusCode(200).body("$", hasSize(4));
    }

    @Test
    void aCashierFindsTheMemberInFrontOfItByWholePhoneCardCodeOrMacWithPersonalNumbersMasked() {
        Members t = new Members();
        String phone = Members.phone();
        String code = "PV" + t.tenant;
        // A member of shop 2: a chain's members shop anywhere, so shop 1's till finds it by a whole key.
        long id = member(t, 2, "Li Lei", phone, code);
        String cashier = till(t, 1, "finder");
        t.get(cashier, "/api/member/member/search?keyword=" + phone).statusCode(200).body("id", contains((int) id))
                .body("[0].name", equalTo("Li Lei")).body("[0].phone", equalTo(masked(phone)))
                .body("[0].idCard", equalTo(MASKED_ID)).body("[0].cardCode", equalTo(code))
                .body("[0].cardMac", equalTo(""));
        given().header("Authorization", cashier).queryParam("keyword", phone.substring(0, 3) + " "
                + phone.substring(3, 7) + "-" + phone.substring(7)).get("/api/member/member/search").then()
                .statusCode(200).body("id", contains((int) id)).body("[0].phone", equalTo(masked(phone)));
        t.get(cashier, "/api/member/member/search?keyword=" + code).statusCode(200).body("id", contains((int) id))
                .body("[0].phone", equalTo(masked(phone))).body("[0].idCard", equalTo(MASKED_ID));
        OtherServices.wiremock().register(get(urlPathEqualTo("/internal/cards/check-by-mac")).atPriority(1)
                .willReturn(okJson("{\"status\":200,\"message\":\"\",\"data\":{\"id\":" + id + "}}")));
        t.get(cashier, "/api/member/member/search?mac=m-" + id).statusCode(200).body("id", contains((int) id))
                .body("[0].phone", equalTo(masked(phone))).body("[0].idCard", equalTo(MASKED_ID));
        // Shop 2's own till lists it by a whole key, masked too; shop 1's lists show only shop 1's members.
        t.get(till(t, 2, "own"), "/api/member/member/getlist?keyword=" + phone).statusCode(200)
                .body("totalCount", equalTo(1)).body("data[0].phone", equalTo(masked(phone)))
                .body("data[0].idCard", equalTo(MASKED_ID));
        t.get(cashier, "/api/member/member/getlist?keyword=" + phone).statusCode(200).body("totalCount", equalTo(0));
        t.get(till(t, 2, "own"), "/api/member/member/search?keyword=" + phone).statusCode(200);
        t.get(till(t, 2, "own"), "/api/member/member/get?id=" + id).statusCode(200)
                .body("phone", equalTo(masked(phone))).body("idCard", equalTo(MASKED_ID));
        // Managers see the whole numbers, everywhere.
        t.get(t.manager, "/api/member/member/get?id=" + id).statusCode(200).body("phone", equalTo(phone))
                .body("idCard", equalTo(ID_CARD));
        t.get(t.manager, "/api/member/member/search?keyword=" + phone.substring(0, 7)).body("[0].phone",
                equalTo(phone));
        t.get(t.manager, "/api/member/member/getlist?keyword=" + phone).body("data[0].idCard", equalTo(ID_CARD));
        t.get(Tokens.tenant(t.tenant, "admin").bearer(), "/api/member/member/getlistbyclass?classId=1")
                .body("[0].phone", equalTo(phone));
    }

    @Test
    void aCashierReadsAndChangesByIdOnlyMembersItFoundByAWholeKeyOrMade() {
        Members t = new Members();
        String phone = Members.phone();
        long id = member(t, 2, "Far Away", phone, "FA" + t.tenant);
        String cashier = till(t, 1, "u1");
        t.get(cashier, "/api/member/member/get?id=" + id).statusCode(404).body("status", equalTo(404));
        t.post(cashier, "/api/member/member/update", "{\"id\":" + id + ",\"address\":\"Elsewhere\"}").statusCode(404);
        // Found by its whole phone number: now this till may read and change it.
        t.get(cashier, "/api/member/member/search?keyword=" + phone).statusCode(200).body("id", contains((int) id));
        t.get(cashier, "/api/member/member/get?id=" + id).statusCode(200).body("id", equalTo((int) id))
                .body("phone", equalTo(masked(phone)));
        t.post(cashier, "/api/member/member/update", "{\"id\":" + id + ",\"address\":\"Elsewhere\"}").statusCode(200);
        t.get(t.manager, "/api/member/member/get?id=" + id).body("address", equalTo("Elsewhere"));
        // Another till did not find it, not even one of the member's own shop: member ids are one sequence, and
        // walking them would list strangers.
        t.get(till(t, 1, "u2"), "/api/member/member/get?id=" + id).statusCode(404);
        t.get(till(t, 2, "u3"), "/api/member/member/get?id=" + id).statusCode(404);
        t.post(till(t, 2, "u3"), "/api/member/member/update", "{\"id\":" + id + ",\"name\":\"Near\"}")
                .statusCode(404);
        // Levels and tags decide discounts: a manager's to change.
        t.post(cashier, "/api/member/member/update", "{\"id\":" + id + ",\"memberLevelId\":999}").statusCode(403)
                .body("message", startsWith("memberLevelId: "));
        t.post(cashier, "/api/member/member/update", "{\"id\":" + id + ",\"memberTagIds\":[999]}").statusCode(403)
                .body("message", startsWith("memberTagIds: "));
        // A cashier does not erase what it was shown masked.
        t.post(cashier, "/api/member/member/update", "{\"id\":" + id + ",\"idCard\":\"\"}").statusCode(400)
                .body("message", startsWith("idCard: "));
        t.get(t.manager, "/api/member/member/get?id=" + id).body("idCard", equalTo(ID_CARD));
    }

    @Test
    void aCashierSendingBackMaskedNumbersChangesNeitherPhoneNorIdentityNumber() {
        Members t = new Members();
        String phone = Members.phone();
        long id = member(t, 1, "Zhao", phone, "ZH" + t.tenant);
        String cashier = till(t, 1, "editor");
        t.get(cashier, "/api/member/member/search?keyword=" + phone).statusCode(200);
        // The till sends back the member as it read it, with a new address.
        Map<String, Object> shown = t.get(cashier, "/api/member/member/get?id=" + id).statusCode(200).extract()
                .jsonPath().getMap("$");
        assertThat(shown.get("phone")).isEqualTo(masked(phone));
        shown.put("address", "New Road 8");
        given().header("Authorization", cashier).contentType(ContentType.JSON).body(shown)
                .post("/api/member/member/update").then().statusCode(200).body("status", equalTo(200));
        t.get(t.manager, "/api/member/member/get?id=" + id).body("phone", equalTo(phone))
                .body("idCard", equalTo(ID_CARD)).body("address", equalTo("New Road 8"));
        // The address is shown cut too, and sent back as shown it stays whole.
        shown = t.get(cashier, "/api/member/member/get?id=" + id).statusCode(200).body("address", equalTo("New Ro***"))
                .extract().jsonPath().getMap("$");
        given().header("Authorization", cashier).contentType(ContentType.JSON).body(shown)
                .post("/api/member/member/update").then().statusCode(200);
        t.get(t.manager, "/api/member/member/get?id=" + id).body("address", equalTo("New Road 8"));
        t.get(t.manager, "/api/member/member/search?keyword=" + phone).body("id", contains((int) id));
        // A masked value that is not this member's is no phone at all; a whole new phone is taken.
        t.post(cashier, "/api/member/member/update", "{\"id\":" + id + ",\"phone\":\"138****0000\"}").statusCode(400)
                .body("message", startsWith("phone: "));
        t.post(cashier, "/api/member/member/update", "{\"id\":" + id + ",\"idCard\":\"**************0000\"}")
                .statusCode(400).body("message", startsWith("idCard: "));
        String newPhone = Members.phone();
        t.post(cashier, "/api/member/member/update", "{\"id\":" + id + ",\"phone\":\"" + newPhone + "\"}")
                .statusCode(200);
        t.get(t.manager, "/api/member/member/get?id=" + id).body("phone", equalTo(newPhone))
                .body("idCard", equalTo(ID_CARD));
        // A manager sending back a masked value changes nothing either.
        t.post(t.manager, "/api/member/member/update", "{\"id\":" + id + ",\"phone\":\"" + masked(newPhone)
                + "\",\"idCard\":\"" + MASKED_ID + "\",\"name\":\"Zhao Yun\"}").statusCode(200);
        t.get(t.manager, "/api/member/member/get?id=" + id).body("phone", equalTo(newPhone))
                .body("idCard", equalTo(ID_CARD)).body("name", equalTo("Zhao Yun"));
    }

    @Test
    void aCashierMakesAtMostThirtyMemberLookUpsAMinute() {
        Members t = new Members();
        String phone = Members.phone();
        long id = member(t, 1, "Often", phone, "OF" + t.tenant);
        String cashier = till(t, 1, "busy");
        for (int i = 0; i < 30; i++) {
            String path = i % 3 == 1
                    ? "get?id=" + id
                    : i % 3 == 0
                            ? "search?keyword=" + phone
                            : "getlist?keyword="
                                    + phone;
            t.get(cashier, "/api/member/member/" + path).statusCode(200);
        }
        var wm = OtherServices.wiremock();
        int liveReads = wm.find(getRequestedFor(urlPathEqualTo("/internal/accounts/by-cards"))).size();
        JsonPath refused = t.get(cashier, "/api/member/member/search?keyword=" + phone).statusCode(429).extract()
                .jsonPath();
        assertThat(refused.getInt("status")).isEqualTo(429);
        assertThat(refused.getString("message")).contains("look-ups").doesNotContain(phone);
        assertThat(refused.getMap("$")).doesNotContainKey("data");
        t.get(cashier, "/api/member/member/get?id=" + id).statusCode(429).body("status", equalTo(429))
                .body("phone", nullValue());
        t.get(cashier, "/api/member/member/getlist?keyword=" + phone).statusCode(429);
        t.post(cashier, "/api/member/member/update", "{\"id\":" + id + ",\"address\":\"x\"}").statusCode(429);
        // Nothing was read for the refused look-ups (no live figures asked for), and the address did not change.
        assertThat(wm.find(getRequestedFor(urlPathEqualTo("/internal/accounts/by-cards")))).hasSize(liveReads);
        t.get(t.manager, "/api/member/member/get?id=" + id).statusCode(200).body("address", not(equalTo("x")));
        // The limit is per cashier: another user of the shop, the same user at another shop, and managers go on.
        t.get(till(t, 1, "other"), "/api/member/member/search?keyword=" + phone).statusCode(200)
                .body("id", contains((int) id));
        t.get(till(t, 2, "busy"), "/api/member/member/search?keyword=" + phone).statusCode(200);
        for (int i = 0; i < 35; i++) {
            t.get(t.manager, "/api/member/member/search?keyword=" + phone).statusCode(200);
        }
    }

    @Test
    void fiftyLookUpsAtOnceGetExactlyTheLimitAnswered() {
        Members t = new Members();
        String phone = Members.phone();
        member(t, 1, "Burst", phone, "BU" + t.tenant);
        String cashier = till(t, 1, "burst");
        List<Integer> codes = Concurrently.run(50, i -> given().header("Authorization", cashier)
                .get("/api/member/member/search?keyword=" + phone).then().extract().statusCode());
        assertThat(codes.stream().filter(c -> c == 200)).hasSize(30);
        assertThat(codes.stream().filter(c -> c == 429)).hasSize(20);
    }

    @Test
    void anotherTenantsMemberIsAnsweredAsOneThatDoesNotExist() {
        Members t = new Members();
        String phone = Members.phone();
        String code = "OT" + t.tenant;
        long id = member(t, 1, "Mine", phone, code);
        Members other = new Members();
        String foreignTill = Tokens.tenant(other.tenant, "cashier").shop(1).bearer();
        for (String token : List.of(foreignTill, other.manager)) {
            t.get(token, "/api/member/member/get?id=" + id).statusCode(404).body("status", equalTo(404));
            t.post(token, "/api/member/member/update", "{\"id\":" + id + ",\"name\":\"Taken\"}").statusCode(404);
            t.get(token, "/api/member/member/search?keyword=" + phone).statusCode(200).body("$", empty());
            t.get(token, "/api/member/member/search?keyword=" + code).statusCode(200).body("$", empty());
            t.get(token, "/api/member/member/getlist?keyword=" + phone).statusCode(200).body("totalCount", equalTo(0));
        }
        t.get(t.manager, "/api/member/member/get?id=" + id).body("name", equalTo("Mine"));
    }

    @Test
    void rolesWithoutAccessAreRefused() {
        Members t = new Members();
        String phone = Members.phone();
        long id = member(t, 1, "Guarded", phone, "GU" + t.tenant);
        String platform = Tokens.tenant(t.tenant, "platform-admin").bearer();
        String partner = Tokens.tenant(t.tenant, "partner").shop(1).bearer();
        String shopless = Tokens.tenant(t.tenant, "cashier").bearer();
        for (String token : List.of(platform, partner, shopless)) {
            t.get(token, "/api/member/member/get?id=" + id).statusCode(403).body("status", equalTo(403));
            t.get(token, "/api/member/member/search?keyword=" + phone).statusCode(403);
            t.get(token, "/api/member/member/getlist?keyword=" + phone).statusCode(403);
            t.post(token, "/api/member/member/update", "{\"id\":" + id + ",\"name\":\"X\"}").statusCode(403);
        }
        given().get("/api/member/member/search?keyword=" + phone).then().statusCode(401);
        t.get(till(t, 1, "c"), "/api/member/member/getlistbyclass?classId=1").statusCode(403);
        t.get(t.manager, "/api/member/member/get?id=" + id).body("name", equalTo("Guarded"));
    }
}
