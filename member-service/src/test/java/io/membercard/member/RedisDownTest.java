package io.membercard.member;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Without Redis a cashier's look-ups cannot be counted: they are refused (the limit never fails open). */
@QuarkusTest
@TestProfile(RedisDownTest.NoRedis.class)
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServices.class)
class RedisDownTest {

    /** Redis at a port nobody listens on. */
    public static class NoRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:1", "quarkus.redis.timeout", "1s");
        }
    }

    @Test
    void aCashiersLookUpsAreRefusedAndNothingIsReadWhileManagersGoOn() {
        Members t = new Members();
        String phone = Members.phone();
        // A cashier's creation counts as a look-up: refused too, nothing made.
        t.post(t.cashier, "/api/member/member/create", "{\"name\":\"No Redis\",\"phone\":\"" + phone
                + "\",\"cardSendMode\":4,\"cardClassId\":1}").statusCode(500);
        t.get(t.manager, "/api/member/member/search?keyword=" + phone).statusCode(200)
                .body("$", org.hamcrest.Matchers.empty());
        long id = t.post(t.manager, "/api/member/member/create?shopId=1", "{\"name\":\"No Redis\",\"phone\":\""
                + phone + "\",\"cardSendMode\":4,\"cardClassId\":1}").statusCode(200).extract().jsonPath()
                .getLong("data");
        t.get(t.cashier, "/api/member/member/search?keyword=" + phone).statusCode(500).body("status", equalTo(500))
                .body("message", startsWith("member look-ups cannot be counted at the moment"))
                .body("data", org.hamcrest.Matchers.nullValue());
        t.get(t.cashier, "/api/member/member/get?id=" + id).statusCode(500).body("name",
                org.hamcrest.Matchers.nullValue());
        t.post(t.cashier, "/api/member/member/update", "{\"id\":" + id + ",\"name\":\"Changed\"}").statusCode(500);
        t.get(t.manager, "/api/member/member/search?keyword=" + phone).statusCode(200).body("id", contains((int) id))
                .body("[0].name", equalTo("No Redis"));
    }
}
