package io.membercard.card;

import static io.membercard.card.Fixtures.batchCreate;
import static io.membercard.card.Fixtures.cashier;
import static io.membercard.card.Fixtures.createCardClass;
import static io.membercard.card.Fixtures.createOrder;
import static io.membercard.card.Fixtures.detailIds;
import static io.membercard.card.Fixtures.getOrder;
import static io.membercard.card.Fixtures.manager;
import static io.membercard.card.Fixtures.newTenant;
import static io.membercard.card.Fixtures.writeCard;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Concurrently;
import io.membercard.common.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(PaymentServiceStub.class)
class BatchOrderResourceTest {
    private static final String LIST = "/api/member/membercard/getcreateorderlist";

    private final Pool pool;

    BatchOrderResourceTest(Pool pool) {
        this.pool = pool;
    }

    private long count(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely().iterator().next()
                .getLong(0);
    }

    private long cardsOf(long tenant) {
        return count("select count(*) from card where tenant_id = $1", tenant);
    }

    private static ValidatableResponse create(long tenant, long shop, String json) {
        return batchCreate(manager(tenant), shop, json).then();
    }

    @Test
    void theSeedFlowCreatesReadsListsWritesAndFinishesAnOrder() {
        long tenant = newTenant();
        long cardClass = createCardClass(tenant, "Gold");
        long id = create(tenant, 3, "{\"shopId\":3,\"shopName\":\"Nanjing Road\",\"code\":\"\",\"memberCardClassId\":"
                + cardClass + ",\"memberCardClassName\":\"ignored\",\"startCode\":\"A0098\",\"endCode\":\"\","
                + "\"currentCode\":\"\",\"expectCount\":5,\"createCount\":99,\"writeCount\":11,\"isFinished\":true,"
                + "\"createTime\":\"2025-10-01 05:31:28\",\"userId\":14,\"userName\":\"body user\",\"details\":[],"
                + "\"id\":16}")
                .statusCode(200).body("status", equalTo(200)).body("message", equalTo(""))
                .extract().jsonPath().getLong("data");

        getOrder(cashier(tenant, 3), id).then().statusCode(200)
                .body("id", equalTo((int) id))
                .body("shopId", equalTo(3))
                .body("shopName", equalTo("Nanjing Road"))
                .body("code", matchesPattern("BC\\d{8}-" + id))
                .body("memberCardClassId", equalTo((int) cardClass))
                .body("memberCardClassName", equalTo("Gold"))
                .body("startCode", equalTo("A0098"))
                .body("endCode", equalTo("A0102"))
                .body("currentCode", equalTo("A0098"))
                .body("expectCount", equalTo(5))
                .body("createCount", equalTo(5))
                .body("writeCount", equalTo(0))
                .body("isFinished", equalTo(false))
                .body("createTime", matchesPattern("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}"))
                .body("userId", equalTo(7))
                .body("userName", equalTo("tester"))
                .body("details.cardCode", contains("A0098", "A0099", "A0100", "A0101", "A0102"))
                .body("detailCount", equalTo(5)).body("detailPageIndex", equalTo(1))
                .body("detailPageSize", equalTo(500))
                .body("details.orderId", everyItem(equalTo((int) id)))
                .body("details.isFinished", everyItem(equalTo(false)));

        List<Integer> details = detailIds(tenant, id);
        String[] macs = {"mac-a", "mac-b", "mac-c", "mac-d", "mac-e"};
        String[] next = {"A0099", "A0100", "A0101", "A0102", null};
        for (int i = 0; i < details.size(); i++) {
            writeCard(cashier(tenant, 3), id, details.get(i), macs[i]).then().statusCode(200)
                    .body("status", equalTo(200)).body("data", equalTo("A0" + (98 + i < 100 ? "0" : "") + (98 + i)));
            getOrder(cashier(tenant, 3), id).then().body("writeCount", equalTo(i + 1))
                    .body("currentCode", equalTo(next[i])).body("isFinished", equalTo(i == details.size() - 1))
                    .body("details[" + i + "].isFinished", equalTo(true));
        }

        given().header("Authorization", cashier(tenant, 3)).get(LIST).then().statusCode(200)
                .body("data", hasSize(1)).body("data[0].id", equalTo((int) id))
                .body("data[0].isFinished", equalTo(true)).body("data[0].details", empty())
                .body("data[0]", not(hasKey("detailCount")))
                .body("pageIndex", equalTo(1)).body("pageSize", equalTo(20)).body("totalCount", equalTo(1))
                .body("sumData.expectCount", equalTo(5)).body("sumData.createCount", equalTo(5))
                .body("sumData.writeCount", equalTo(5));
        assertThat(count("select count(*) from card where tenant_id = $1 and status = 2 and mac_hash is not null",
                tenant)).isEqualTo(5);
    }

    @Test
    void endCodeAloneOrAgreeingWithExpectCountDefinesTheRange() {
        long tenant = newTenant();
        long cardClass = createCardClass(tenant, "Gold");
        long byEnd = create(tenant, 1, "{\"memberCardClassId\":" + cardClass
                + ",\"startCode\":\"VIP-0999\",\"endCode\":\"VIP-1002\"}").statusCode(200)
                .extract().jsonPath().getLong("data");
        getOrder(manager(tenant), byEnd).then().body("expectCount", equalTo(4))
                .body("details.cardCode", contains("VIP-0999", "VIP-1000", "VIP-1001", "VIP-1002"));
        create(tenant, 1, "{\"memberCardClassId\":" + cardClass
                + ",\"startCode\":\"B10\",\"endCode\":\"B12\",\"expectCount\":3}").statusCode(200);
        create(tenant, 1, "{\"memberCardClassId\":" + cardClass
                + ",\"startCode\":\"C10\",\"endCode\":\"C12\",\"expectCount\":4}").statusCode(400)
                .body("message", equalTo("expectCount: is 4 but C10 to C12 are 3 cards"));
        assertThat(cardsOf(tenant)).isEqualTo(7);
    }

    @Test
    void aBatchThatWouldReuseACodeIsRefusedWholeNamingTheConflicts() {
        long tenant = newTenant();
        long cardClass = createCardClass(tenant, "Gold");
        createOrder(tenant, 1, cardClass, "X005", 3);
        create(tenant, 1, "{\"memberCardClassId\":" + cardClass + ",\"startCode\":\"X001\",\"expectCount\":10}")
                .statusCode(400).body("status", equalTo(400))
                .body("message", equalTo("startCode: 3 card code(s) of this range already exist, first: X005, X006, "
                        + "X007; the order was not created"));
        assertThat(cardsOf(tenant)).isEqualTo(3);
        assertThat(count("select count(*) from batch_order where tenant_id = $1", tenant)).isEqualTo(1);
        // Another width or prefix is another code: no conflict.
        createOrder(tenant, 1, cardClass, "X0001", 10);
        createOrder(tenant, 1, cardClass, "Y005", 3);
        // The same codes in another tenant are that tenant's own.
        long other = newTenant();
        createOrder(other, 1, createCardClass(other, "Gold"), "X005", 3);
    }

    @Test
    void concurrentOverlappingBatchesCreateEachCodeOnce() {
        long tenant = newTenant();
        long cardClass = createCardClass(tenant, "Gold");
        List<Integer> statuses = Concurrently.run(6, i -> batchCreate(manager(tenant), 1, "{\"memberCardClassId\":"
                + cardClass + ",\"startCode\":\"R" + (1000 + i * 100) + "\",\"expectCount\":300}")
                .then().extract().statusCode());
        long created = statuses.stream().filter(s -> s == 200).count();
        assertThat(created).isBetween(1L, 3L);
        assertThat(cardsOf(tenant)).isEqualTo(created * 300);
        assertThat(count("select count(*) from (select code from card where tenant_id = $1 group by code"
                + " having count(*) > 1) d", tenant)).isZero();
    }

    @Test
    void aClientOrderNumberMakesBatchCreateIdempotent() {
        long tenant = newTenant();
        long cardClass = createCardClass(tenant, "Gold");
        String body = "{\"code\":\"PO-1\",\"memberCardClassId\":" + cardClass
                + ",\"startCode\":\"P01\",\"expectCount\":5}";
        long first = create(tenant, 1, body).statusCode(200).header("Idempotent-Replayed", nullValue())
                .extract().jsonPath().getLong("data");
        create(tenant, 1, body.replace("{", "{\"userName\":\"someone\",")).statusCode(200)
                .header("Idempotent-Replayed", "true").body("data", equalTo((int) first));
        create(tenant, 1, body.replace("\"expectCount\":5", "\"expectCount\":6")).statusCode(200)
                .body("status", equalTo(801));
        getOrder(manager(tenant), first).then().body("code", equalTo("PO-1"));
        assertThat(cardsOf(tenant)).isEqualTo(5);
    }

    @Test
    void codeRulesAreEnforced() {
        long tenant = newTenant();
        long cardClass = createCardClass(tenant, "Gold");
        String start = "{\"memberCardClassId\":" + cardClass + ",";
        create(tenant, 1, start + "\"startCode\":\"998\",\"expectCount\":3}").statusCode(400)
                .body("message", equalTo("expectCount: startCode 998 leaves room for only 2 cards of 3 digits"));
        create(tenant, 1, start + "\"startCode\":\"ABC\",\"expectCount\":3}").statusCode(400)
                .body("message", startsWith("startCode: must be letters, digits"));
        create(tenant, 1, start + "\"startCode\":\"A 1\",\"expectCount\":3}").statusCode(400)
                .body("message", startsWith("startCode: "));
        create(tenant, 1, start + "\"startCode\":\"A10\",\"endCode\":\"B12\"}").statusCode(400)
                .body("message", startsWith("endCode: must have the same length and prefix"));
        create(tenant, 1, start + "\"startCode\":\"A10\",\"endCode\":\"A09\"}").statusCode(400)
                .body("message", startsWith("endCode: must not come before"));
        create(tenant, 1, start + "\"startCode\":\"A10\"}").statusCode(400)
                .body("message", equalTo("expectCount: is required unless endCode is given"));
        create(tenant, 1, start + "\"startCode\":\"A000001\",\"expectCount\":100001}").statusCode(400)
                .body("message", equalTo("expectCount: must be from 1 to 100000 cards, not 100001"));
        create(tenant, 1, start + "\"startCode\":\"A000001\",\"endCode\":\"A100001\"}").statusCode(400)
                .body("message", equalTo("expectCount: must be from 1 to 100000 cards, not 100001"));
        assertThat(cardsOf(tenant)).isZero();
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndWritesNothing() {
        long tenant = newTenant();
        long cardClass = createCardClass(tenant, "Gold");
        create(tenant, 1, "{\"startCode\":\"A1\",\"expectCount\":1}").statusCode(400)
                .body("message", equalTo("memberCardClassId: must not be null"));
        create(tenant, 1, "{\"memberCardClassId\":" + cardClass + ",\"expectCount\":1}").statusCode(400)
                .body("message", equalTo("startCode: must not be null"));
        create(tenant, 1, "{\"memberCardClassId\":" + cardClass + ",\"startCode\":\"A1\",\"expectCount\":0}")
                .statusCode(400).body("message", startsWith("expectCount: "));
        create(tenant, 1, "{\"memberCardClassId\":" + cardClass + ",\"startCode\":\"A1\",\"expectCount\":\"ten\"}")
                .statusCode(400).body("message", equalTo("expectCount: must be a whole number"));
        create(tenant, 1, "{\"memberCardClassId\":" + cardClass + ",\"startCode\":\"A1\",\"expectCount\":2.5}")
                .statusCode(400).body("message", startsWith("expectCount: "));
        create(tenant, 1, "{\"memberCardClassId\":" + cardClass + ",\"startCode\":\"A1\",\"expectCount\":99999999999}")
                .statusCode(400).body("message", startsWith("expectCount: "));
        create(tenant, 1, "{\"memberCardClassId\":99999999,\"startCode\":\"A1\",\"expectCount\":1}")
                .statusCode(400).body("message", equalTo("memberCardClassId: no usable card class 99999999"));
        create(tenant, 1, "{\"memberCardClassId\":" + cardClass + ",\"startCode\":\"A1\",\"expectCount\":1,"
                + "\"code\":\"no spaces allowed\"}").statusCode(400).body("message", startsWith("code: "));
        create(tenant, 1, "{\"memberCardClassId\":" + cardClass + ",\"startCode\":\"A1\"").statusCode(400)
                .body("message", startsWith("malformed JSON body"));
        create(tenant, 1,
                "{\"memberCardClassId\":" + cardClass + ",\"shopId\":2,\"startCode\":\"A1\",\"expectCount\":1}")
                .statusCode(400).body("message", equalTo("shopId: differs from shopid in the query"));
        given().header("Authorization", manager(tenant)).contentType(ContentType.JSON)
                .queryParam("shopid", "main")
                .body("{\"memberCardClassId\":" + cardClass + ",\"startCode\":\"A1\",\"expectCount\":1}")
                .post("/api/member/membercard/batchcreate").then()
                .statusCode(400).body("message", equalTo("shopid: must be a whole number"));
        given().header("Authorization", manager(tenant)).contentType(ContentType.JSON)
                .body("{\"memberCardClassId\":" + cardClass + ",\"startCode\":\"A1\",\"expectCount\":1}")
                .post("/api/member/membercard/batchcreate").then()
                .statusCode(400).body("message", equalTo("shopid: is required"));
        assertThat(cardsOf(tenant)).isZero();
        assertThat(count("select count(*) from batch_order where tenant_id = $1", tenant)).isZero();
    }

    @Test
    void readAndListInputIsChecked() {
        long tenant = newTenant();
        String token = manager(tenant);
        given().header("Authorization", token).queryParam("id", "x").get("/api/member/membercard/getcreateorder")
                .then().statusCode(400).body("message", equalTo("id: must be a whole number"));
        given().header("Authorization", token).get("/api/member/membercard/getcreateorder")
                .then().statusCode(400).body("message", equalTo("id: is required"));
        given().header("Authorization", token).queryParam("pageSize", 501).get(LIST).then().statusCode(400)
                .body("message", equalTo("pageSize: must be from 1 to 500"));
        given().header("Authorization", token).queryParam("startDate", "yesterday").get(LIST).then()
                .statusCode(400).body("message", startsWith("startDate: "));
        given().header("Authorization", token).queryParam("isFinished", "maybe").get(LIST).then()
                .statusCode(400).body("message", startsWith("isFinished: "));
        given().header("Authorization", token).queryParam("shopid", "x").get(LIST).then()
                .statusCode(400).body("message", equalTo("shopid: must be a whole number"));
        // Hostile values: a page far beyond any list, a date no column can hold.
        given().header("Authorization", token).queryParam("pageIndex", Integer.MAX_VALUE).get(LIST).then()
                .statusCode(400).body("message", startsWith("pageIndex: must be at most 5000 with pageSize 20"));
        given().header("Authorization", token).queryParam("pageIndex", 201).queryParam("pageSize", 500).get(LIST)
                .then().statusCode(400).body("message", startsWith("pageIndex: must be at most 200 with pageSize 500"));
        given().header("Authorization", token).queryParam("pageIndex", 200).queryParam("pageSize", 500).get(LIST)
                .then().statusCode(200).body("data", empty());
        given().header("Authorization", token).queryParam("endDate", "+999999999-12-31 23:59:59").get(LIST).then()
                .statusCode(400).body("message", equalTo("endDate: must be a date from 0001-01-01 to 9999-12-31"));
        given().header("Authorization", token).queryParam("startDate", "+300000-01-01 00:00:00").get(LIST).then()
                .statusCode(400).body("message", equalTo("startDate: must be a date from 0001-01-01 to 9999-12-31"));
        given().header("Authorization", token).queryParam("startDate", "0001-01-01")
                .queryParam("endDate", "9999-12-31 23:59:59").get(LIST).then().statusCode(200);
    }

    @Test
    void keywordsMatchPercentUnderscoreAndBackslashAsThemselves() {
        long tenant = newTenant();
        long cardClass = createCardClass(tenant, "Gold");
        long percent = create(tenant, 1, "{\"memberCardClassId\":" + cardClass + ",\"code\":\"PO_1\","
                + "\"shopName\":\"100% Fresh\",\"startCode\":\"K100\",\"expectCount\":1}").statusCode(200)
                .extract().jsonPath().getLong("data");
        long dash = create(tenant, 1, "{\"memberCardClassId\":" + cardClass + ",\"code\":\"PO-1\","
                + "\"shopName\":\"Fresh\",\"startCode\":\"K200\",\"expectCount\":1}").statusCode(200)
                .extract().jsonPath().getLong("data");
        long backslash = create(tenant, 1, "{\"memberCardClassId\":" + cardClass + ",\"code\":\"PO1\","
                + "\"shopName\":\"Back\\\\slash\",\"startCode\":\"U_01\",\"expectCount\":1}").statusCode(200)
                .extract().jsonPath().getLong("data");
        String token = manager(tenant);
        given().header("Authorization", token).queryParam("keyword", "%").get(LIST).then().statusCode(200)
                .body("data.id", contains((int) percent));
        given().header("Authorization", token).queryParam("keyword", "O_1").get(LIST).then()
                .body("data.id", contains((int) percent));
        given().header("Authorization", token).queryParam("keyword", "\\").get(LIST).then()
                .body("data.id", contains((int) backslash));
        given().header("Authorization", token).queryParam("keyword", "fresh").get(LIST).then()
                .body("data.id", contains((int) dash, (int) percent));
        // A card code of the order is compared whole, underscore and all.
        given().header("Authorization", token).queryParam("keyword", "U_01").get(LIST).then()
                .body("data.id", contains((int) backslash));
        given().header("Authorization", token).queryParam("keyword", "U%01").get(LIST).then()
                .body("data", empty());
    }

    @Test
    void anOrdersDetailsComeInPagesOfAtMostFiveHundred() {
        long tenant = newTenant();
        long cardClass = createCardClass(tenant, "Gold");
        long order = createOrder(tenant, 1, cardClass, "D0001", 1201);
        String cashier = cashier(tenant, 1);
        getOrder(cashier, order).then().statusCode(200).body("createCount", equalTo(1201))
                .body("detailCount", equalTo(1201)).body("detailPageIndex", equalTo(1))
                .body("detailPageSize", equalTo(500)).body("details", hasSize(500))
                .body("details[0].cardCode", equalTo("D0001")).body("details[499].cardCode", equalTo("D0500"));
        details(cashier, order, 3, null).statusCode(200).body("detailPageIndex", equalTo(3))
                .body("details", hasSize(201)).body("details[200].cardCode", equalTo("D1201"));
        details(cashier, order, 2, 100).statusCode(200).body("detailPageSize", equalTo(100))
                .body("details", hasSize(100)).body("details[0].cardCode", equalTo("D0101"));
        details(cashier, order, 4, null).statusCode(200).body("details", empty()).body("detailCount", equalTo(1201));
        details(cashier, order, null, 501).statusCode(400)
                .body("message", equalTo("detailPageSize: must be from 1 to 500"));
        details(cashier, order, 0, null).statusCode(400).body("message", equalTo("detailPageIndex: must be 1 or more"));
        details(cashier, order, 201, null).statusCode(400)
                .body("message", startsWith("detailPageIndex: must be at most 200 with detailPageSize 500"));
    }

    private static ValidatableResponse details(String token, long order, Integer pageIndex, Integer pageSize) {
        var request = given().header("Authorization", token).queryParam("id", order);
        if (pageIndex != null) {
            request.queryParam("detailPageIndex", pageIndex);
        }
        if (pageSize != null) {
            request.queryParam("detailPageSize", pageSize);
        }
        return request.get("/api/member/membercard/getcreateorder").then();
    }

    @Test
    void listFiltersAndSumsTheWholeFilteredSet() {
        long tenant = newTenant();
        long cardClass = createCardClass(tenant, "Gold");
        long a = createOrder(tenant, 1, cardClass, "F100", 3);
        long b = createOrder(tenant, 2, cardClass, "G100", 4);
        createOrder(tenant, 2, cardClass, "H100", 5);
        writeCard(manager(tenant), a, detailIds(tenant, a).get(0), "m1");
        String token = manager(tenant);

        given().header("Authorization", token).queryParam("pageSize", 2).get(LIST).then()
                .body("data", hasSize(2)).body("totalCount", equalTo(3))
                .body("sumData.expectCount", equalTo(12)).body("sumData.writeCount", equalTo(1));
        given().header("Authorization", token).queryParam("pageSize", 2).queryParam("pageIndex", 2).get(LIST).then()
                .body("data", hasSize(1)).body("data[0].id", equalTo((int) a)).body("pageIndex", equalTo(2));
        given().header("Authorization", token).queryParam("shopid", 2).get(LIST).then()
                .body("totalCount", equalTo(2)).body("sumData.createCount", equalTo(9));
        given().header("Authorization", token).queryParam("keyword", "G102").get(LIST).then()
                .body("data.id", contains((int) b));
        given().header("Authorization", token).queryParam("isFinished", 0).get(LIST).then()
                .body("totalCount", equalTo(3));
        given().header("Authorization", token).queryParam("isFinished", "1").get(LIST).then()
                .body("totalCount", equalTo(0)).body("sumData.expectCount", equalTo(0));
        given().header("Authorization", token).queryParam("startDate", "2000-01-01").queryParam("endDate", "2000-01-02")
                .get(LIST).then().body("totalCount", equalTo(0));
        given().header("Authorization", token).queryParam("startDate", "2000-01-01").get(LIST).then()
                .body("totalCount", equalTo(3));
    }

    @Test
    void writingIsCheckedAndTheSameDetailCannotBeWrittenTwice() {
        long tenant = newTenant();
        long cardClass = createCardClass(tenant, "Gold");
        long order = createOrder(tenant, 1, cardClass, "W10", 3);
        List<Integer> details = detailIds(tenant, order);
        String token = cashier(tenant, 1);

        writeCard(token, order, details.get(0), "secret-1").then().statusCode(200);
        writeCard(token, order, details.get(0), "secret-1").then().statusCode(409).body("status", equalTo(409))
                .body("message", equalTo("card W10 (detail " + details.get(0)
                        + ") is already written; use rewrite to write it again"));
        writeCard(token, order, details.get(1), "secret-1").then().statusCode(400)
                .body("message", equalTo(io.membercard.card.card.CardService.macRefused().getMessage()));
        given().header("Authorization", token).contentType(ContentType.JSON)
                .body("{\"orderId\":" + order + ",\"id\":" + details.get(1) + ",\"mac\":\"s\",\"cardCode\":\"W12\"}")
                .post("/api/member/membercard/writecard").then().statusCode(400)
                .body("message", equalTo("cardCode: detail " + details.get(1) + " is card W11, not W12"));
        writeCard(token, order, 99999999, "s").then().statusCode(404)
                .body("message", equalTo("detail 99999999 of batch order " + order + " not found"));
        given().header("Authorization", token).contentType(ContentType.JSON)
                .body("{\"orderId\":" + order + ",\"id\":" + details.get(1) + "}")
                .post("/api/member/membercard/writecard").then().statusCode(400)
                .body("message", equalTo("mac: must not be blank"));
        given().header("Authorization", token).contentType(ContentType.JSON)
                .body("{\"orderId\":" + order + ",\"id\":")
                .post("/api/member/membercard/writecard").then().statusCode(400)
                .body("message", startsWith("malformed JSON body"));
        given().header("Authorization", token).contentType(ContentType.JSON)
                .body("{\"orderId\":" + order + ",\"id\":" + details.get(1) + ",\"mac\":\"" + "m".repeat(65) + "\"}")
                .post("/api/member/membercard/writecard").then().statusCode(400)
                .body("message", startsWith("mac: "));
        given().header("Authorization", token).contentType(ContentType.JSON)
                .body("{\"orderId\":\"x\",\"id\":1,\"mac\":\"m\"}")
                .post("/api/member/membercard/writecard").then().statusCode(400)
                .body("message", equalTo("orderId: must be a whole number"));
        getOrder(token, order).then().body("writeCount", equalTo(1)).body("currentCode", equalTo("W11"));
    }

    @Test
    void macsAreStoredOnlyAsHashes() {
        long tenant = newTenant();
        long cardClass = createCardClass(tenant, "Gold");
        long order = createOrder(tenant, 1, cardClass, "M1", 1);
        writeCard(manager(tenant), order, detailIds(tenant, order).get(0), "plain-card-secret").then().statusCode(200);
        Row row = pool
                .preparedQuery("select mac_hash, row_to_json(card)::text as everything from card where tenant_id = $1")
                .execute(Tuple.of(tenant)).await().indefinitely().iterator().next();
        assertThat(row.getString("mac_hash")).hasSize(64).doesNotContain("plain-card-secret");
        assertThat(row.getString("everything")).doesNotContain("plain-card-secret");
        getOrder(manager(tenant), order).then().body(org.hamcrest.Matchers.not(
                org.hamcrest.Matchers.containsString("plain-card-secret")));
    }

    @Test
    void rolesAreEnforced() {
        long tenant = newTenant();
        long cardClass = createCardClass(tenant, "Gold");
        batchCreate(cashier(tenant, 1), 1,
                "{\"memberCardClassId\":" + cardClass + ",\"startCode\":\"Q1\",\"expectCount\":1}")
                .then().statusCode(403).body("status", equalTo(403));
        given().get(LIST).then().statusCode(401);
        given().header("Authorization", Tokens.tenant(tenant, "platform-admin").bearer()).get(LIST).then()
                .statusCode(403);
        long order = createOrder(tenant, 1, cardClass, "Q1", 2);
        String platformAdmin = Tokens.tenant(tenant, "platform-admin").bearer();
        writeCard(platformAdmin, order, detailIds(tenant, order).get(0), "m").then().statusCode(403);
        getOrder(platformAdmin, order).then().statusCode(403).body("status", equalTo(403));
        getOrder(Tokens.tenant(tenant).shop(1).bearer(), order).then().statusCode(403);
        given().queryParam("id", order).get("/api/member/membercard/getcreateorder").then().statusCode(401);
        assertThat(cardsOf(tenant)).isEqualTo(2);
    }

    @Test
    void cashiersSeeAndWriteOnlyTheirShopsOrders() {
        long tenant = newTenant();
        long cardClass = createCardClass(tenant, "Gold");
        long shop1 = createOrder(tenant, 1, cardClass, "S100", 2);
        createOrder(tenant, 2, cardClass, "S200", 2);
        String cashier2 = cashier(tenant, 2);
        given().header("Authorization", cashier2).get(LIST).then().body("totalCount", equalTo(1))
                .body("data[0].shopId", equalTo(2));
        given().header("Authorization", cashier2).queryParam("shopid", 1).get(LIST).then().statusCode(403);
        getOrder(cashier2, shop1).then().statusCode(404);
        writeCard(cashier2, shop1, detailIds(tenant, shop1).get(0), "m").then().statusCode(404);
    }

    @Test
    void anotherTenantCannotReadListWriteOrFinishAnOrder() {
        long a = newTenant();
        long b = newTenant();
        long cardClass = createCardClass(a, "Gold");
        long order = createOrder(a, 1, cardClass, "T1", 1);
        long detail = detailIds(a, order).get(0);
        long missing = order + 1_000_000;

        ValidatableResponse foreign = getOrder(manager(b), order).then().statusCode(404).body("status", equalTo(404));
        ValidatableResponse absent = getOrder(manager(b), missing).then().statusCode(404);
        assertThat(foreign.extract().jsonPath().getString("message").replace(String.valueOf(order), "N"))
                .isEqualTo(absent.extract().jsonPath().getString("message").replace(String.valueOf(missing), "N"));
        given().header("Authorization", manager(b)).get(LIST).then().body("totalCount", equalTo(0));
        given().header("Authorization", manager(b)).queryParam("keyword", "T1").get(LIST).then()
                .body("totalCount", equalTo(0));
        writeCard(manager(b), order, detail, "m").then().statusCode(404)
                .body("message", equalTo("batch order " + order + " not found"));
        batchCreate(manager(b), 1, "{\"memberCardClassId\":" + cardClass + ",\"startCode\":\"T1\",\"expectCount\":1}")
                .then().statusCode(400)
                .body("message", equalTo("memberCardClassId: no usable card class " + cardClass));
        getOrder(manager(a), order).then().body("writeCount", equalTo(0)).body("isFinished", equalTo(false));
    }

    @Test
    void oneOrderMayCreateOneHundredThousandCards() {
        long tenant = newTenant();
        long cardClass = createCardClass(tenant, "Gold");
        long order = createOrder(tenant, 1, cardClass, "N000000", 100_000);
        assertThat(cardsOf(tenant)).isEqualTo(100_000);
        getOrder(manager(tenant), order).then().statusCode(200).body("createCount", equalTo(100_000))
                .body("endCode", equalTo("N099999")).body("detailCount", equalTo(100_000))
                .body("details", hasSize(500)).body("details[0].cardCode", equalTo("N000000"));
        details(manager(tenant), order, 200, 500).statusCode(200).body("details", hasSize(500))
                .body("details[499].cardCode", equalTo("N099999"));
    }
}
