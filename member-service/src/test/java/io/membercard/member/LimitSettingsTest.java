package io.membercard.member;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Concurrently;
import io.membercard.common.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Issue 10, item 5: a tenant's own limits (getlimits, savelimit), and what other services read of them. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServices.class)
class LimitSettingsTest {
    private static final String PLATFORM_ADMIN = Tokens.tenant(1, "platform-admin").bearer();
    private final Pool pool;

    LimitSettingsTest(Pool pool) {
        this.pool = pool;
    }

    private static String limit(String name, Object value) {
        return "{\"name\":\"" + name + "\",\"value\":" + value + "}";
    }

    /** Waits for the start of a clock second, so that a burst falls into one window. */
    private static void startOfASecond() throws InterruptedException {
        Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 5);
    }

    private Row stored(long tenant, String name) {
        var rows = pool.preparedQuery("select value, set_by_platform, updated_by from tenant_limit "
                + "where tenant_id = $1 and name = $2").execute(Tuple.of(tenant, name)).await().indefinitely();
        return rows.iterator().hasNext() ? rows.iterator().next() : null;
    }

    @Test
    void everyLimitIsListedWithThePlatformDefaultUntilTheTenantSetsItsOwn() {
        Members t = new Members();
        t.get(t.manager, "/api/member/setting/getlimits").statusCode(200).body("$", hasSize(6))
                .body("name", contains("requestsPerSecond", "listRowsPerSecond", "batchCardsPerDay",
                        "partnerCardsPerDay", "uploadsPerDay", "heavyJobs"))
                .body("value", contains(200, 5000, 100000, 20000, 50, 2))
                .body("platformDefault", contains(200, 5000, 100000, 20000, 50, 2))
                .body("max", contains(200, 5000, 100000, 20000, 50, 2))
                .body("set", everyItem(equalTo(false)))
                .body("used[0]", equalTo(null)).body("used[1]", equalTo(null)).body("used[2]", equalTo(0))
                .body("used[5]", equalTo(0)).body("[2].what", equalTo("cards made by batch orders a day"));
    }

    /**
     * A list page costs its tenant its pageSize rows of the second: pages of 500 past the tenant's rows are refused
     * (429, nothing read), small look-ups and another tenant's pages go on.
     */
    @Test
    void bigPagesPastTheTenantsRowsASecondAreRefusedAndOthersGoOn() throws Exception {
        Members t = new Members();
        Members other = new Members();
        t.post(t.manager, "/api/member/setting/savelimit", limit("listRowsPerSecond", 1000)).statusCode(200);
        startOfASecond();
        List<Response> pages = Concurrently.run(6, n -> given().header("Authorization", t.manager)
                .get("/api/member/member/getlist?pageSize=500").andReturn());
        List<Integer> codes = pages.stream().map(Response::statusCode).toList();
        // Two pages of 500 fit a second; a burst that straddles two seconds fits four at most.
        assertThat(codes).as(codes.toString()).containsOnly(200, 429);
        assertThat(codes.stream().filter(c -> c == 200).count()).isBetween(2L, 4L);
        Response refused = pages.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
        assertThat(refused.jsonPath().getInt("status")).isEqualTo(429);
        assertThat(refused.jsonPath().getString("message")).startsWith("too many list rows: this tenant may ask 1000 "
                + "rows a second of the member-service (limit listRowsPerSecond; a page counts its pageSize, 500");
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        startOfASecond();
        assertThat(Concurrently.run(6, n -> given().header("Authorization", t.manager)
                .get("/api/member/member/getlist?pageSize=20").statusCode())).as("look-ups of a few rows")
                .containsOnly(200);
        assertThat(Concurrently.run(6, n -> given().header("Authorization", other.manager)
                .get("/api/member/member/getlist?pageSize=500").statusCode())).as("another tenant's pages")
                .containsOnly(200);
    }

    @Test
    void aManagerLowersALimitAndItAppliesAtOnce() throws Exception {
        Members t = new Members();
        t.post(t.manager, "/api/member/setting/savelimit", limit("requestsPerSecond", 3)).statusCode(200)
                .body("status", equalTo(200)).body("data.name", equalTo("requestsPerSecond"))
                .body("data.value", equalTo(3)).body("data.platformDefault", equalTo(200))
                .body("data.set", equalTo(true));
        Row row = stored(t.tenant, "requestsPerSecond");
        assertThat(row.getLong("value")).isEqualTo(3);
        assertThat(row.getBoolean("set_by_platform")).isFalse();
        assertThat(row.getString("updated_by")).isEqualTo("7");

        startOfASecond();
        List<Response> answers = Concurrently.run(20, n -> given().header("Authorization", n % 2 == 0
                ? t.manager
                : Tokens.tenant(t.tenant, "cashier").shop(1).user("till-" + n, "Till").bearer())
                .get("/api/member/setting/getlist"));
        List<Integer> codes = answers.stream().map(Response::statusCode).toList();
        assertThat(codes.stream().filter(c -> c == 200).count()).isBetween(3L, 6L);
        assertThat(codes.stream().filter(c -> c != 200)).allMatch(c -> c == 429);
        Response refused = answers.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.jsonPath().getInt("status")).isEqualTo(429);
        assertThat(refused.jsonPath().getString("message")).isEqualTo("too many requests: this tenant may send 3 "
                + "requests a second to the member-service (limit requestsPerSecond); nothing was done, try again in "
                + "a second");
        // Another tenant at the same moment is served.
        Members other = new Members();
        assertThat(Concurrently.run(10, n -> other.get(other.manager, "/api/member/setting/getlist").extract()
                .statusCode())).containsOnly(200);

        // The other services read the tenant's values with the service key (GET /internal/service/limits).
        given().header("X-Service-Key", "test-only-service-key").queryParam("tenantId", t.tenant)
                .get("/internal/service/limits").then().statusCode(200).body("status", equalTo(200))
                .body("data.name", contains("requestsPerSecond")).body("data.value", contains(3))
                .body("data.setByPlatform", contains(false));
        given().queryParam("tenantId", t.tenant).get("/internal/service/limits").then().statusCode(401);
        given().header("X-Service-Key", "test-only-service-key").get("/internal/service/limits").then()
                .statusCode(400).body("message", startsWith("tenantId: "));
    }

    @Test
    void aTenantMayOnlyLowerItsLimitsWhileAPlatformAdminMayRaiseThem() throws Exception {
        Members t = new Members();
        t.post(t.manager, "/api/member/setting/savelimit", limit("batchCardsPerDay", 100_001)).statusCode(403)
                .body("status", equalTo(403)).body("message", equalTo("value: a tenant may only lower its limits: "
                        + "batchCardsPerDay may be at most 100000 (the platform's default); ask the platform operator "
                        + "for more"));
        assertThat(stored(t.tenant, "batchCardsPerDay")).isNull();

        given().header("Authorization", PLATFORM_ADMIN).contentType("application/json")
                .queryParam("tenantId", t.tenant).body(limit("batchCardsPerDay", 500_000))
                .post("/api/member/setting/savelimit").then().statusCode(200).body("data.value", equalTo(500000))
                .body("data.max", equalTo(10_000_000));
        assertThat(stored(t.tenant, "batchCardsPerDay").getBoolean("set_by_platform")).isTrue();
        t.get(t.manager, "/api/member/setting/getlimits").statusCode(200)
                .body("find { it.name == 'batchCardsPerDay' }.value", equalTo(500000))
                .body("find { it.name == 'batchCardsPerDay' }.platformDefault", equalTo(100000))
                .body("find { it.name == 'batchCardsPerDay' }.set", equalTo(true))
                .body("find { it.name == 'batchCardsPerDay' }.max", equalTo(100000));
        given().header("Authorization", PLATFORM_ADMIN).queryParam("tenantId", t.tenant)
                .get("/api/member/setting/getlimits").then().statusCode(200)
                .body("find { it.name == 'batchCardsPerDay' }.value", equalTo(500000))
                .body("find { it.name == 'requestsPerSecond' }.max", equalTo(10000));
        // Not even the platform passes a limit's ceiling.
        given().header("Authorization", PLATFORM_ADMIN).contentType("application/json")
                .queryParam("tenantId", t.tenant).body(limit("batchCardsPerDay", 10_000_001))
                .post("/api/member/setting/savelimit").then().statusCode(400)
                .body("message", equalTo("value: must be at most 10000000 for batchCardsPerDay"));

        // The tenant lowers it again; saving the default follows the platform's default again.
        t.post(t.manager, "/api/member/setting/savelimit", limit("batchCardsPerDay", 10)).statusCode(200)
                .body("data.value", equalTo(10));
        assertThat(stored(t.tenant, "batchCardsPerDay").getBoolean("set_by_platform")).isFalse();
        t.post(t.manager, "/api/member/setting/savelimit", limit("batchCardsPerDay", 100_000)).statusCode(200)
                .body("data.value", equalTo(100000)).body("data.set", equalTo(false));
        assertThat(stored(t.tenant, "batchCardsPerDay")).isNull();
        given().header("X-Service-Key", "test-only-service-key").queryParam("tenantId", t.tenant)
                .get("/internal/service/limits").then().statusCode(200).body("data", empty());
    }

    @Test
    void aTenantThePlatformHeldBackMayNotRaiseItselfAgain() throws Exception {
        Members t = new Members();
        given().header("Authorization", PLATFORM_ADMIN).contentType("application/json")
                .queryParam("tenantId", t.tenant).body(limit("uploadsPerDay", 1))
                .post("/api/member/setting/savelimit").then().statusCode(200).body("data.value", equalTo(1));
        for (int value : new int[]{50, 2}) {
            t.post(t.manager, "/api/member/setting/savelimit", limit("uploadsPerDay", value)).statusCode(403)
                    .body("message", equalTo("value: the platform operator set uploadsPerDay to 1 for this tenant; "
                            + "a tenant may only lower it"));
        }
        assertThat(stored(t.tenant, "uploadsPerDay").getLong("value")).isEqualTo(1);
        assertThat(stored(t.tenant, "uploadsPerDay").getBoolean("set_by_platform")).isTrue();
        t.post(t.manager, "/api/member/setting/savelimit", limit("uploadsPerDay", 1)).statusCode(200);
        assertThat(stored(t.tenant, "uploadsPerDay").getBoolean("set_by_platform")).isTrue();
        // The platform lets it go again.
        given().header("Authorization", PLATFORM_ADMIN).contentType("application/json")
                .queryParam("tenantId", t.tenant).body(limit("uploadsPerDay", 50))
                .post("/api/member/setting/savelimit").then().statusCode(200).body("data.value", equalTo(50));
        assertThat(stored(t.tenant, "uploadsPerDay")).isNull();
    }

    @Test
    void badInputWrongRoleAndAnotherTenantAreRefusedAndChangeNothing() {
        Members t = new Members();
        String save = "/api/member/setting/savelimit";
        t.post(t.manager, save, limit("cardsPerDay", 5)).statusCode(400).body("status", equalTo(400))
                .body("message", equalTo("name: must be one of requestsPerSecond, listRowsPerSecond, "
                        + "batchCardsPerDay, partnerCardsPerDay, uploadsPerDay, heavyJobs"));
        t.post(t.manager, save, "{\"value\":5}").statusCode(400).body("message", equalTo("name: is required"));
        t.post(t.manager, save, limit("uploadsPerDay", 0)).statusCode(400).body("message", startsWith("value: "));
        t.post(t.manager, save, limit("uploadsPerDay", -3)).statusCode(400).body("message", startsWith("value: "));
        t.post(t.manager, save, limit("uploadsPerDay", "\"many\"")).statusCode(400)
                .body("message", startsWith("value: "));
        t.post(t.manager, save, limit("uploadsPerDay", 1.5)).statusCode(400).body("message", startsWith("value: "));
        t.post(t.manager, save, "{\"name\":\"uploadsPerDay\"}").statusCode(400)
                .body("message", startsWith("value: "));
        // A cashier neither reads nor sets limits; nobody without a token does.
        t.post(t.cashier, save, limit("uploadsPerDay", 5)).statusCode(403).body("status", equalTo(403));
        t.get(t.cashier, "/api/member/setting/getlimits").statusCode(403);
        t.post(null, save, limit("uploadsPerDay", 5)).statusCode(401).body("status", equalTo(401));
        // Another tenant's limits are out of reach: a manager naming it reads nothing and changes nothing.
        Members other = new Members();
        t.get(t.manager, "/api/member/setting/getlimits?tenantId=" + other.tenant).statusCode(200).body("$", empty());
        t.post(t.manager, save + "?tenantId=" + other.tenant, limit("uploadsPerDay", 5)).statusCode(404)
                .body("status", equalTo(404));
        t.get(t.manager, "/api/member/setting/getlimits?tenantId=" + t.tenant).statusCode(200).body("$", hasSize(6));
        assertThat(pool.preparedQuery("select count(*) from tenant_limit where tenant_id = any($1)")
                .execute(Tuple.of(new Long[]{t.tenant, other.tenant})).await().indefinitely().iterator().next()
                .getLong(0)).isZero();
        other.get(other.manager, "/api/member/setting/getlimits").statusCode(200)
                .body("find { it.name == 'uploadsPerDay' }.value", equalTo(50))
                .body("find { it.name == 'uploadsPerDay' }.set", equalTo(false));
    }
}
