package io.membercard.card;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.membercard.common.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Sets up card classes, orders and written cards through the API, each test in a tenant of its own. */
public final class Fixtures {
    private Fixtures() {
    }

    public static long newTenant() {
        return ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);
    }

    public static String manager(long tenant) {
        return Tokens.manager(tenant);
    }

    public static String cashier(long tenant, long shop) {
        return Tokens.cashier(tenant, shop);
    }

    public static long createCardClass(long tenant, String name) {
        return given().header("Authorization", manager(tenant)).contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"cardType\":1,\"canRecharge\":true,\"canPoint\":true,"
                        + "\"pointsBasic\":10,\"pointsToOne\":100,\"pointsValidDays\":365}")
                .post("/api/member/membercardclass/save")
                .then().statusCode(200).extract().jsonPath().getLong("data");
    }

    public static Response batchCreate(String token, long shop, String json) {
        return given().header("Authorization", token).contentType(ContentType.JSON).queryParam("shopid", shop)
                .body(json).post("/api/member/membercard/batchcreate");
    }

    /** Creates an order of {@code count} cards from {@code startCode} and answers its id. */
    public static long createOrder(long tenant, long shop, long cardClass, String startCode, int count) {
        return batchCreate(manager(tenant), shop, "{\"memberCardClassId\":" + cardClass + ",\"startCode\":\""
                + startCode + "\",\"expectCount\":" + count + ",\"shopName\":\"Shop " + shop + "\"}")
                .then().statusCode(200).extract().jsonPath().getLong("data");
    }

    public static Response getOrder(String token, long id) {
        return given().header("Authorization", token).queryParam("id", id).get("/api/member/membercard/getcreateorder");
    }

    public static List<Integer> detailIds(long tenant, long orderId) {
        return getOrder(manager(tenant), orderId).then().statusCode(200).extract().jsonPath().getList("details.id");
    }

    public static Response writeCard(String token, long orderId, long detailId, String mac) {
        return given().header("Authorization", token).contentType(ContentType.JSON)
                .body("{\"orderId\":" + orderId + ",\"id\":" + detailId + ",\"mac\":\"" + mac + "\"}")
                .post("/api/member/membercard/writecard");
    }

    /** Creates a one-card order, writes the card with {@code mac}, and answers the card code. */
    public static String writtenCard(long tenant, long shop, String code, String mac) {
        long cardClass = createCardClass(tenant, "Gold");
        long order = createOrder(tenant, shop, cardClass, code, 1);
        long detail = detailIds(tenant, order).get(0);
        return writeCard(manager(tenant), order, detail, mac).then().statusCode(200).extract().path("data");
    }
}
