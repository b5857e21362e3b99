package io.membercard.member;

import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 11, item 5: member-service's endpoints that missed one of the refusals every endpoint has (bad input names
 * the field and changes nothing, another tenant's data is answered like none, a role without the right is refused).
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServices.class)
class TenancyAndRolesTest {
    private final Members a = new Members();
    private final Members b = new Members();
    /** A token of no tenant's till or back office. */
    private final String platformAdmin = Tokens.tenant(a.tenant, "platform-admin").bearer();

    @BeforeEach
    void answers() {
        OtherServices.reset();
    }

    @Test
    void levelsAndTagsAreTheTenantsOwn() {
        long gold = a.save("memberlevel", "{\"name\":\"Gold\",\"level\":2,\"discount\":9.5}");
        long vip = a.save("membertag", "{\"name\":\"VIP\"}");
        b.get(b.manager, "/api/member/memberlevel/getlist").statusCode(200).body("id", not(hasItem((int) gold)));
        b.get(b.cashier, "/api/member/membertag/getlist").statusCode(200).body("id", not(hasItem((int) vip)));
        // Saving under another tenant's id changes nothing of it.
        b.post(b.manager, "/api/member/memberlevel/save", "{\"id\":" + gold + ",\"name\":\"Mine\",\"level\":1,"
                + "\"discount\":5}").statusCode(404);
        b.post(b.manager, "/api/member/membertag/save", "{\"id\":" + vip + ",\"name\":\"Mine\"}").statusCode(404);
        a.get(a.manager, "/api/member/memberlevel/getlist").body("find { it.id == " + gold + " }.name",
                equalTo("Gold"));
        a.get(a.manager, "/api/member/membertag/getlist").body("find { it.id == " + vip + " }.name", equalTo("VIP"));
        // Roles: a cashier reads but does not save; no tenant's user reads nothing.
        a.post(a.cashier, "/api/member/membertag/save", "{\"name\":\"Cashier's\"}").statusCode(403);
        a.post(a.cashier, "/api/member/memberlevel/save", "{\"name\":\"Cashier's\",\"level\":1,\"discount\":5}")
                .statusCode(403);
        for (String path : new String[]{"/api/member/memberlevel/getlist", "/api/member/membertag/getlist",
                "/api/member/gift/getlist", "/api/member/setting/getpasswordrequired"}) {
            a.get(platformAdmin, path).statusCode(403).body("status", equalTo(403));
        }
        // Bad input names the field.
        a.post(a.manager, "/api/member/membertag/save", "{\"name\":\"\"}").statusCode(400)
                .body("message", startsWith("name: "));
        a.post(a.manager, "/api/member/membertag/save", "{\"name\":\"" + "x".repeat(33) + "\"}").statusCode(400)
                .body("message", startsWith("name: "));
    }

    @Test
    void aMemberTakesOnlyItsTenantsLevelAndTags() {
        long gold = a.save("memberlevel", "{\"name\":\"Gold\",\"level\":2,\"discount\":9.5}");
        long vip = a.save("membertag", "{\"name\":\"VIP\"}");
        b.post(b.cashier, "/api/member/member/create", "{\"name\":\"Li\",\"phone\":\"" + Members.phone()
                + "\",\"cardSendMode\":4,\"cardClassId\":1,\"memberLevelId\":" + gold + "}").statusCode(400)
                .body("message", equalTo("memberLevelId: no level " + gold + " in use"));
        b.post(b.cashier, "/api/member/member/create", "{\"name\":\"Li\",\"phone\":\"" + Members.phone()
                + "\",\"cardSendMode\":4,\"cardClassId\":1,\"memberTagIds\":[" + vip + "]}").statusCode(400)
                .body("message", equalTo("memberTagIds: no tag " + vip + " in use"));
        b.get(b.manager, "/api/member/member/getlist").statusCode(200).body("data", empty());
    }

    @Test
    void giftsAreTheTenantsOwnAndNamedByNumber() {
        long mug = a.save("gift", "{\"name\":\"Mug\",\"points\":30}");
        // payment-service asks with the till's token: another tenant's till does not find it.
        b.get(b.cashier, "/internal/gifts/" + mug).statusCode(404);
        a.get(a.cashier, "/internal/gifts/" + mug).statusCode(200).body("name", equalTo("Mug"));
        a.get(a.cashier, "/internal/gifts/x").statusCode(400).body("message", startsWith("id: "));
        a.get(platformAdmin, "/internal/gifts/" + mug).statusCode(403);
        // Taken out of use by its own tenant's manager only.
        b.post(b.manager, "/api/member/gift/disable?id=" + mug, "{}").statusCode(404);
        a.post(a.cashier, "/api/member/gift/disable?id=" + mug, "{}").statusCode(403);
        a.post(a.manager, "/api/member/gift/disable?id=x", "{}").statusCode(400).body("message", startsWith("id: "));
        a.post(a.manager, "/api/member/gift/disable", "{}").statusCode(400).body("message", startsWith("id: "));
        a.get(a.cashier, "/api/member/gift/getlist").statusCode(200).body("find { it.id == " + mug + " }.inUse",
                equalTo(true));
    }

    @Test
    void theCardPasswordSwitchIsTheTenantsOwn() {
        a.post(a.manager, "/api/member/setting/save", "{\"key\":1,\"value\":true}").statusCode(200);
        a.get(a.cashier, "/api/member/setting/getpasswordrequired").statusCode(200).body(equalTo("true"));
        b.get(b.cashier, "/api/member/setting/getpasswordrequired").statusCode(200).body(equalTo("false"));
    }

    @Test
    void membersByDateAreTheTenantsOwn() {
        long id = a.create("Sun", Members.phone());
        a.get(a.manager, "/api/member/member/getlistbydate?startDate=2000-01-01").statusCode(200)
                .body("data.id", hasItem((int) id));
        b.get(b.manager, "/api/member/member/getlistbydate?startDate=2000-01-01").statusCode(200)
                .body("data", empty());
    }
}
