package io.membercard.card;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.membercard.card.CardResourceTest.wiremock;
import static io.membercard.card.Fixtures.batchCreate;
import static io.membercard.card.Fixtures.createCardClass;
import static io.membercard.card.Fixtures.manager;
import static io.membercard.card.Fixtures.newTenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Concurrently;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Issue 10, item 5: the cards batch orders and partners may make a day, the tenant's limits read from member-service
 * (WireMock). Over a limit nothing is made; requests at the same moment never pass it together; work that fails gives
 * its cards back, and a retry is not counted twice.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(PaymentServiceStub.class)
class DailyQuotasTest {
    private final Pool pool;
    private final RedisDataSource redis;

    DailyQuotasTest(Pool pool, RedisDataSource redis) {
        this.pool = pool;
        this.redis = redis;
    }

    /** member-service answers {@code tenant}'s own limits (only to a caller with the service key). */
    static void limits(long tenant, String name, long value) {
        wiremock().register(get(urlPathEqualTo("/internal/service/limits")).atPriority(1)
                .withQueryParam("tenantId", equalTo(Long.toString(tenant)))
                .withHeader("X-Service-Key", equalTo("test-only-service-key"))
                .willReturn(okJson("{\"status\":200,\"message\":\"\",\"data\":[{\"name\":\"" + name + "\",\"value\":"
                        + value + ",\"setByPlatform\":false}]}")));
    }

    private long count(String sql, long tenant) {
        return pool.preparedQuery(sql).execute(Tuple.of(tenant)).await().indefinitely().iterator().next().getLong(0);
    }

    private Long usedToday(long tenant, String limit) {
        return redis.value(Long.class).get("mctest:quota:{" + tenant + "}:" + limit + ":"
                + DateTimeFormatter.BASIC_ISO_DATE.format(LocalDate.now(ZoneId.of("Asia/Shanghai"))));
    }

    private static String order(long cardClass, String startCode, int count, String code) {
        return "{\"memberCardClassId\":" + cardClass + ",\"startCode\":\"" + startCode + "\",\"expectCount\":" + count
                + (code == null ? "" : ",\"code\":\"" + code + "\"") + "}";
    }

    @Test
    void batchOrdersAtTheSameMomentCannotBothPassWhenOnlyOneFits() {
        long tenant = newTenant();
        limits(tenant, "batchCardsPerDay", 5);
        long gold = createCardClass(tenant, "Gold");
        List<Response> answers = Concurrently.run(6, n -> batchCreate(manager(tenant), 1,
                order(gold, "R" + n + "001", 3, null)));
        assertThat(answers.stream().filter(r -> r.statusCode() == 200)).hasSize(1);
        assertThat(answers.stream().filter(r -> r.statusCode() == 429)).hasSize(5);
        Response refused = answers.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
        assertThat(refused.jsonPath().getInt("status")).isEqualTo(429);
        assertThat(refused.jsonPath().getString("message")).startsWith("daily limit batchCardsPerDay reached: this "
                + "tenant's limit is 5 cards made by batch orders a day, 2 left today, and this request needs 3; "
                + "nothing was done. The count starts again at 00:00 (Asia/Shanghai), in ");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 24 * 3600L);
        assertThat(count("select count(*) from card where tenant_id = $1", tenant)).isEqualTo(3);
        assertThat(count("select count(*) from batch_order where tenant_id = $1", tenant)).isEqualTo(1);
        assertThat(usedToday(tenant, "batchCardsPerDay")).isEqualTo(3);
    }

    @Test
    void aFailedOrderGivesItsCardsBackAndARetryIsNotCountedAgain() {
        long tenant = newTenant();
        limits(tenant, "batchCardsPerDay", 5);
        long gold = createCardClass(tenant, "Gold");
        String token = manager(tenant);
        long first = batchCreate(token, 1, order(gold, "A0001", 3, "Q1")).then().statusCode(200).extract()
                .jsonPath().getLong("data");
        batchCreate(token, 1, order(gold, "A0001", 3, "Q1")).then().statusCode(200)
                .header("Idempotent-Replayed", "true").body("data", org.hamcrest.Matchers.equalTo((int) first));
        // A range that reuses a code is refused, and its cards are given back.
        batchCreate(token, 1, order(gold, "A0003", 2, null)).then().statusCode(400)
                .body("message", startsWith("startCode: 1 card code(s) of this range already exist"));
        // 3 + 2 = 5: neither the retry nor the refused order counted.
        batchCreate(token, 1, order(gold, "B0001", 2, null)).then().statusCode(200);
        batchCreate(token, 1, order(gold, "C0001", 1, null)).then().statusCode(429)
                .body("status", org.hamcrest.Matchers.equalTo(429))
                .body("message", startsWith("daily limit batchCardsPerDay reached: this tenant's limit is 5 cards "
                        + "made by batch orders a day, 0 left today, and this request needs 1; nothing was done."));
        // A retry is answered before anything else, the day's limit included.
        batchCreate(token, 1, order(gold, "A0001", 3, "Q1")).then().statusCode(200)
                .header("Idempotent-Replayed", "true");
        assertThat(count("select count(*) from card where tenant_id = $1", tenant)).isEqualTo(5);
        assertThat(usedToday(tenant, "batchCardsPerDay")).isEqualTo(5);
        // Another tenant, without limits of its own, has the platform's default.
        long other = newTenant();
        batchCreate(manager(other), 1, order(createCardClass(other, "Gold"), "A0001", 6, null)).then()
                .statusCode(200);
    }

    /** A partner of {@code tenant}, made after its limits are in place. */
    private static PartnerTest.Made partner(long tenant) {
        long gold = createCardClass(tenant, "Gold");
        JsonPath made = given().header("Authorization", manager(tenant)).contentType(ContentType.JSON)
                .body("{\"name\":\"Kiosk\",\"shopId\":6,\"shopName\":\"Mall\",\"cardClassId\":" + gold + "}")
                .post("/api/open/partner/save").then().statusCode(200).extract().jsonPath();
        return new PartnerTest.Made(made.getString("data.id"), made.getString("data.secret"), tenant);
    }

    private static JsonPath send(PartnerTest.Made partner, String post) {
        try {
            return PartnerTest.send(PartnerTest.request(partner, post, Instant.now().getEpochSecond(),
                    UUID.randomUUID().toString().replace("-", ""), true)).extract().jsonPath();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String batch(String extid, int count, String balance) {
        return "{\"list\":[{\"type\":15,\"count\":" + count + ",\"extid\":\"" + extid + "\""
                + (balance == null ? "" : ",\"balance\":" + balance) + "}]}";
    }

    @Test
    void partnerRequestsAtTheSameMomentCannotBothPassWhenOnlyOneFits() {
        long tenant = newTenant();
        limits(tenant, "partnerCardsPerDay", 1);
        PartnerTest.Made partner = partner(tenant);
        List<JsonPath> answers = Concurrently.run(4, n -> send(partner, batch("P" + n, 1, null)));
        assertThat(answers.stream().filter(a -> "1".equals(a.getString("status")))).hasSize(1);
        List<JsonPath> refused = answers.stream().filter(a -> "0".equals(a.getString("status"))).toList();
        assertThat(refused).hasSize(3);
        assertThat(refused.get(0).getString("info")).startsWith("daily limit partnerCardsPerDay reached: this "
                + "tenant's limit is 1 cards issued by partners a day, 0 left today, and this request needs 1; "
                + "nothing was done.");
        assertThat(refused.get(0).getList("list")).isNull();
        assertThat(count("select count(*) from card where tenant_id = $1", tenant)).isEqualTo(1);
        assertThat(usedToday(tenant, "partnerCardsPerDay")).isEqualTo(1);
    }

    @Test
    void aResentPartnerRequestIsNotCountedTwiceAndCardsNotIssuedAreGivenBack() {
        long tenant = newTenant();
        limits(tenant, "partnerCardsPerDay", 3);
        PartnerTest.Made partner = partner(tenant);
        wiremock().register(post(urlPathEqualTo("/internal/service/accounts/openings")).atPriority(5)
                .willReturn(okJson("{\"status\":200,\"message\":\"\",\"data\":[]}")));
        // The opening balances fail after the card was made: the card stays counted.
        StubMapping down = wiremock().register(post(urlPathEqualTo("/internal/service/accounts/openings"))
                .atPriority(1).withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(
                        "\"tenantId\":" + tenant))
                .willReturn(serverError()));
        assertThat(send(partner, batch("B1", 1, "5")).getString("info"))
                .startsWith("the cards could not be issued now");
        assertThat(usedToday(tenant, "partnerCardsPerDay")).isEqualTo(1);
        wiremock().removeStubMapping(down);
        // Sent again with a new nonce, it finds its card: not counted again.
        JsonPath resent = send(partner, batch("B1", 1, "5"));
        assertThat(resent.getString("status")).isEqualTo("1");
        assertThat(usedToday(tenant, "partnerCardsPerDay")).isEqualTo(1);
        assertThat(send(partner, batch("B2", 2, null)).getString("status")).isEqualTo("1");
        assertThat(usedToday(tenant, "partnerCardsPerDay")).isEqualTo(3);
        JsonPath over = send(partner, batch("B3", 1, null));
        assertThat(over.getString("status")).isEqualTo("0");
        assertThat(over.getString("info")).startsWith("daily limit partnerCardsPerDay reached");
        assertThat(count("select count(*) from card where tenant_id = $1", tenant)).isEqualTo(3);
        // A resend of a whole day's cards is still answered.
        assertThat(send(partner, batch("B2", 2, null)).getString("status")).isEqualTo("1");

        // Cards the merchant's records refuse are not issued, and given back.
        long refusing = newTenant();
        limits(refusing, "partnerCardsPerDay", 2);
        PartnerTest.Made kiosk = partner(refusing);
        long gold = count("select max(id) from card_class where tenant_id = $1", refusing);
        given().header("Authorization", manager(refusing)).queryParam("id", gold)
                .post("/api/member/membercardclass/disable").then().statusCode(200);
        JsonPath notIssued = send(kiosk, batch("N1", 2, null));
        assertThat(notIssued.getString("status")).isEqualTo("0");
        assertThat(notIssued.getString("info")).contains("not issued");
        assertThat(usedToday(refusing, "partnerCardsPerDay")).isZero();
    }
}
