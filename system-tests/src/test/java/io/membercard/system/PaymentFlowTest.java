package io.membercard.system;

import static io.membercard.system.Platform.as;
import static io.membercard.system.Platform.newTenant;
import static io.membercard.system.Platform.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Issue 3's flow through the gateway with every service running: recharge with a plan, pay, partial refund,
 * gift exchange, pay-code payment and recharge refund, with card-service, payment-service and member-service
 * talking to each other, and the money proven against the ledger at the end.
 */
class PaymentFlowTest {

    /** A card's figures as payment-service keeps them (through card-service's read). */
    private static JsonPath card(String cashier, String code, String mac) {
        return as(cashier).queryParam("cardCode", code).queryParam("mac", mac).get("/api/member/membercard/get")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aCardIsRechargedPaidRefundedAndSpentAcrossTheServices() {
        long tenant = newTenant();
        String manager = token(tenant, null, "manager");
        String cashier = token(tenant, 2L, "cashier");
        String admin = token(tenant, null, "admin");

        long cardClass = as(manager).contentType(ContentType.JSON).body("{\"name\":\"Gold\",\"cardType\":4,"
                + "\"canRecharge\":true,\"canPoint\":true,\"canMemberPrice\":true,\"pointsBasic\":1,"
                + "\"pointsToOne\":100,\"pointsValidDays\":365}")
                .post("/api/member/membercardclass/save").then().statusCode(200).extract().jsonPath().getLong("data");
        long order = as(manager).contentType(ContentType.JSON).queryParam("shopid", 2)
                .body("{\"memberCardClassId\":" + cardClass + ",\"startCode\":\"P0001\",\"expectCount\":2}")
                .post("/api/member/membercard/batchcreate").then().statusCode(200).extract().jsonPath().getLong("data");
        List<Integer> details = as(cashier).queryParam("id", order).get("/api/member/membercard/getcreateorder")
                .then().extract().jsonPath().getList("details.id");
        for (int i = 0; i < 2; i++) {
            as(cashier).contentType(ContentType.JSON)
                    .body("{\"orderId\":" + order + ",\"id\":" + details.get(i) + ",\"mac\":\""
                            + Platform.mac("pay-" + tenant + "-" + i) + "\"}")
                    .post("/api/member/membercard/writecard").then().statusCode(200).body("status", equalTo(200));
        }
        // Each card is a member's, so member-service keeps copies of its figures (from payment-service's events).
        for (int i = 0; i < 2; i++) {
            as(cashier).contentType(ContentType.JSON).body("{\"name\":\"付" + i + "\",\"phone\":\""
                    + Platform.phone("137" + String.format("%07d", tenant % 10_000_000) + i) + "\",\"sex\":1,"
                    + "\"cardCode\":\"P000" + (i + 1) + "\",\"cardMac\":\"pay-" + tenant + "-" + i + "\"}")
                    .post("/api/member/member/create").then().statusCode(200).body("status", equalTo(200));
        }
        String a = "\"cardCode\":\"P0001\",\"mac\":\"pay-" + tenant + "-0\"";
        String b = "\"cardCode\":\"P0002\",\"mac\":\"pay-" + tenant + "-1\"";

        // Recharge with a plan: pay 100, get 20 of bonus.
        long plan = as(manager).contentType(ContentType.JSON)
                .body("{\"name\":\"100+20\",\"payMoney\":100,\"giveMoney\":20}")
                .post("/api/member/rechargeplan/save").then().statusCode(200).extract().jsonPath().getLong("data");
        as(cashier).get("/api/member/rechargeplan/getlist").then().statusCode(200).body("[0].money", equalTo(100.0f))
                .body("[0].payMoney", equalTo(100.0f)).body("[0].giveMoney", equalTo(20.0f));
        // Sent the contract's way: money is the principal (= payMoney), giveMoney the bonus on top.
        as(cashier).contentType(ContentType.JSON).header("Idempotency-Key", "RC-" + tenant)
                .body("{" + a + ",\"planId\":" + plan + ",\"money\":100,\"payMoney\":100,\"giveMoney\":20,"
                        + "\"details\":[{\"paymentType\":1,\"money\":100}]}")
                .post("/api/member/recharge/recharge").then().statusCode(200).body("status", equalTo(200));
        as(cashier).queryParam("cardCode", "P0001").queryParam("mac", "pay-" + tenant + "-0")
                .get("/api/member/membercard/get").then().statusCode(200)
                .body("balance", equalTo(120.0f)).body("actualBalance", equalTo(100.0f))
                .body("giveBalance", equalTo(20.0f)).body("totalRecharge", equalTo(120.0f));

        // Pay 60 (proportionally from paid-in and bonus money), then give 15 of it back.
        as(cashier).contentType(ContentType.JSON).body("{" + a + ",\"money\":60,\"code\":\"B-" + tenant + "\"}")
                .post("/api/member/cardpay/pay").then().statusCode(200).body("status", equalTo(200))
                .body("data.balance", equalTo(60.0f)).body("data.canMemberPrice", equalTo(true));
        as(cashier).contentType(ContentType.JSON).body("{" + a + ",\"money\":15,\"code\":\"B-" + tenant + "\"}")
                .post("/api/member/cardpay/refund").then().statusCode(200).body("data.balance", equalTo(75.0f));
        // The till timed out and sends the same partial refund again, with no Idempotency-Key: it refunds once.
        as(cashier).contentType(ContentType.JSON).body("{" + a + ",\"money\":15,\"code\":\"B-" + tenant + "\"}")
                .post("/api/member/cardpay/refund").then().statusCode(200).header("Idempotent-Replayed", "true")
                .body("data.balance", equalTo(75.0f));
        as(cashier).contentType(ContentType.JSON).body("{" + a + ",\"money\":45.01,\"code\":\"B-" + tenant + "\"}")
                .post("/api/member/cardpay/refund").then().statusCode(200).body("status", equalTo(803));
        as(cashier).queryParam("cardCode", "P0001").queryParam("mac", "pay-" + tenant + "-0")
                .get("/api/member/membercard/get").then().body("balance", equalTo(75.0f))
                .body("totalExpense", equalTo(45.0f)).body("totalPoints", equalTo(45));

        // Spend points on a gift that member-service keeps.
        long gift = as(manager).contentType(ContentType.JSON).body("{\"name\":\"Mug\",\"points\":30}")
                .post("/api/member/gift/save").then().statusCode(200).extract().jsonPath().getLong("data");
        as(cashier).contentType(ContentType.JSON).header("Idempotency-Key", "G-" + tenant)
                .body("{" + a + ",\"giftId\":" + gift + "}").post("/api/member/points/exchangegift").then()
                .statusCode(200).body("status", equalTo(200));
        as(cashier).contentType(ContentType.JSON).header("Idempotency-Key", "G2-" + tenant)
                .body("{" + a + ",\"giftId\":" + gift + "}").post("/api/member/points/exchangegift").then()
                .body("status", equalTo(607));
        as(cashier).queryParam("cardCode", "P0001").queryParam("mac", "pay-" + tenant + "-0")
                .get("/api/member/membercard/get").then().body("usedPoints", equalTo(30))
                .body("actualPoints", equalTo(15));

        // A pay code (what wechat-gateway asks payment-service for), paid at the till.
        String payCode = Platform
                .secret(given().baseUri(Platform.PAYMENT).header("X-Service-Key", Platform.serviceKey())
                        .contentType(ContentType.JSON).body("{\"tenantId\":" + tenant + ",\"cardCode\":\"P0001\"}")
                        .post("/internal/service/paycodes").then().statusCode(200).extract().jsonPath()
                        .getString("data.payCode"));
        String orderCode = "O-" + UUID.randomUUID();
        String payByCode = "{\"payCode\":\"" + payCode + "\",\"orderCode\":\"" + orderCode + "\",\"money\":5}";
        as(cashier).contentType(ContentType.JSON).body(payByCode).post("/api/member/paycode/pay").then()
                .statusCode(200).body("status", equalTo(200)).body("data.paymentType", equalTo(2))
                .header("Idempotent-Replayed", nullValue());
        as(cashier).contentType(ContentType.JSON).body(payByCode).post("/api/member/paycode/pay").then()
                .statusCode(200).header("Idempotent-Replayed", "true");
        as(cashier).contentType(ContentType.JSON).body(payByCode.replace(orderCode, orderCode + "x"))
                .post("/api/member/paycode/pay").then().body("status", equalTo(606));
        as(cashier).queryParam("orderCode", orderCode).post("/api/member/paycode/query").then()
                .body("status", equalTo(701));

        // A recharge refund on the other card.
        as(cashier).contentType(ContentType.JSON).header("Idempotency-Key", "RC2-" + tenant)
                .body("{" + b + ",\"payMoney\":30,\"details\":[{\"paymentType\":3,\"money\":30}]}")
                .post("/api/member/recharge/recharge").then().statusCode(200).body("status", equalTo(200));
        as(cashier).queryParam("cardCode", "P0002").get("/api/member/recharge/getrefund").then().statusCode(200)
                .body("rechargeCode", equalTo("RC2-" + tenant)).body("payMoney", equalTo(30.0f));
        as(cashier).contentType(ContentType.JSON)
                .body("{" + b + ",\"billNo\":\"RF-" + tenant + "\",\"rechargeCode\":\"RC2-" + tenant
                        + "\",\"paymentType\":3}")
                .post("/api/member/recharge/refund").then().statusCode(200).body("status", equalTo(200));
        as(cashier).queryParam("cardCode", "P0002").queryParam("mac", "pay-" + tenant + "-1")
                .get("/api/member/membercard/get").then().body("balance", equalTo(0.0f));

        // Every account equals its ledger, and member-service heard of every change.
        JsonPath ledger = Platform.reconciled(admin);
        assertThat(ledger.getInt("accounts")).isEqualTo(2);
        assertThat(ledger.getList("mismatches")).isEmpty();
        // member-service heard every change of this tenant's cards: its members' sums become payment-service's
        // figures of the two cards (polled: the events arrive after the answers).
        JsonPath p1 = card(cashier, "P0001", "pay-" + tenant + "-0");
        JsonPath p2 = card(cashier, "P0002", "pay-" + tenant + "-1");
        String expected = String.format("%.2f %.2f %.2f %d", p1.getFloat("balance") + p2.getFloat("balance"),
                p1.getFloat("totalRecharge") + p2.getFloat("totalRecharge"),
                p1.getFloat("totalExpense") + p2.getFloat("totalExpense"),
                p1.getInt("actualPoints") + p2.getInt("actualPoints"));
        String[] copied = new String[1];
        boolean heard = Platform.eventually(() -> {
            JsonPath sums = as(manager).get("/api/member/member/getlist").then().statusCode(200).extract().jsonPath();
            copied[0] = String.format("%.2f %.2f %.2f %d", sums.getFloat("sumData.balance"),
                    sums.getFloat("sumData.totalRecharge"), sums.getFloat("sumData.totalExpense"),
                    sums.getInt("sumData.actualPoints"));
            return copied[0].equals(expected);
        });
        assertThat(copied[0]).as("member-service's sums of the tenant's members (balance, recharged, spent, points)")
                .isEqualTo(expected);
        assertThat(heard).isTrue();
    }
}
