package io.membercard.common.idempotency;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Concurrently;
import io.membercard.common.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class IdempotencyStoreTest {
    private static final String CASHIER = Tokens.cashier(1, 10);

    private final Pool pool;

    IdempotencyStoreTest(Pool pool) {
        this.pool = pool;
    }

    private static Response charge(String token, String code, String money) {
        return given().header("Authorization", token).contentType(ContentType.JSON)
                .body("{\"code\":\"" + code + "\",\"money\":" + money + "}").post("/probe/charge");
    }

    private long effects(long tenant, String serial) {
        return pool.preparedQuery("select count(*) from probe_effect where tenant_id = $1 and serial = $2")
                .execute(Tuple.of(tenant, serial)).await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void aReplayReturnsTheFirstResultAndChangesNothing() {
        String code = UUID.randomUUID().toString();
        Response first = charge(CASHIER, code, "5.5");
        first.then().statusCode(200).header("Idempotent-Replayed", nullValue()).body("data.money", equalTo(5.50f));
        int effectId = first.path("data.effectId");

        charge(CASHIER, code, "5.50").then().statusCode(200).header("Idempotent-Replayed", "true")
                .body("data.effectId", equalTo(effectId));
        assertThat(effects(1, code)).isEqualTo(1);
    }

    @Test
    void theSameSerialWithAnotherBodyIs801() {
        String code = UUID.randomUUID().toString();
        charge(CASHIER, code, "5").then().statusCode(200);
        charge(CASHIER, code, "6").then().statusCode(200).body("status", equalTo(801));
        assertThat(effects(1, code)).isEqualTo(1);
    }

    @Test
    void serialsBelongToTheirTenant() {
        String code = UUID.randomUUID().toString();
        charge(CASHIER, code, "5").then().statusCode(200);
        charge(Tokens.cashier(2, 10), code, "6").then().statusCode(200).body("status", equalTo(200))
                .header("Idempotent-Replayed", nullValue());
        assertThat(effects(1, code)).isEqualTo(1);
        assertThat(effects(2, code)).isEqualTo(1);
    }

    @Test
    void concurrentDuplicatesApplyOnce() {
        String code = UUID.randomUUID().toString();
        List<Integer> effectIds = Concurrently.run(16, i -> charge(CASHIER, code, "3").then().statusCode(200)
                .body("status", equalTo(200)).extract().path("data.effectId"));
        assertThat(effectIds).containsOnly(effectIds.get(0));
        assertThat(effects(1, code)).isEqualTo(1);
    }

    @Test
    void aFailedCommandLeavesNoRecordAndCanBeRetried() {
        String code = UUID.randomUUID().toString();
        given().header("Authorization", CASHIER).contentType(ContentType.JSON)
                .body("{\"code\":\"" + code + "\",\"money\":3}").post("/probe/charge-then-fail")
                .then().statusCode(200).body("status", equalTo(605));
        assertThat(effects(1, code)).isZero();
        charge(CASHIER, code, "3").then().statusCode(200).header("Idempotent-Replayed", nullValue());
        assertThat(effects(1, code)).isEqualTo(1);
    }
}
