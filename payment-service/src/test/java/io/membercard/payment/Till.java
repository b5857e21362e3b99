package io.membercard.payment;

import static io.restassured.RestAssured.given;

import java.math.BigDecimal;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.membercard.common.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** A till of one tenant and shop, calling payment-service the way a POS does. */
public final class Till {
    public final long tenant;
    public final long shop;
    public final String cashier;
    public final String manager;

    public Till(long tenant, long shop) {
        this.tenant = tenant;
        this.shop = shop;
        this.cashier = Tokens.cashier(tenant, shop);
        this.manager = Tokens.tenant(tenant, "manager").shop(shop).bearer();
    }

    public static Till newTenant() {
        return new Till(ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000), 1);
    }

    public static String serial() {
        return UUID.randomUUID().toString();
    }

    public Response recharge(Stubs.Card card, String pay) {
        return recharge(cashier, serial(), card, "{\"cardCode\":\"" + card.code() + "\",\"mac\":\"" + card.mac()
                + "\",\"payMoney\":" + pay + ",\"details\":[{\"paymentType\":1,\"money\":" + pay + "}]}");
    }

    public Response recharge(String token, String serial, Stubs.Card card, String json) {
        return given().header("Authorization", token).header("Idempotency-Key", serial).contentType(ContentType.JSON)
                .body(json).post("/api/member/recharge/recharge");
    }

    public Response pay(Stubs.Card card, String bill, String money) {
        return given().header("Authorization", cashier).contentType(ContentType.JSON)
                .body("{\"cardCode\":\"" + card.code() + "\",\"mac\":\"" + card.mac() + "\",\"money\":" + money
                        + ",\"code\":\"" + bill + "\"}")
                .post("/api/member/cardpay/pay");
    }

    public Response refund(Stubs.Card card, String bill, String money, String idempotencyKey) {
        var request = given().header("Authorization", cashier).contentType(ContentType.JSON)
                .body("{\"cardCode\":\"" + card.code() + "\",\"mac\":\"" + card.mac() + "\",\"money\":" + money
                        + ",\"code\":\"" + bill + "\"}");
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/api/member/cardpay/refund");
    }

    public BigDecimal balance(Stubs.Card card) {
        return new BigDecimal(given().header("Authorization", cashier).queryParam("cardCode", card.code())
                .queryParam("mac", card.mac()).get("/api/member/cardpay/getcardinfo")
                .then().statusCode(200).extract().jsonPath().getString("data.balance"));
    }
}
