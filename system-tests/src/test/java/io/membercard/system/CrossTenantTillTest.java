package io.membercard.system;

import static io.membercard.system.Platform.as;
import static io.membercard.system.Platform.newTenant;
import static io.membercard.system.Platform.token;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;

/**
 * Another tenant's card at the till (issue 11): tenant B's cashier holds tenant A's card code and card secret (say a
 * customer of A at one of B's shops, or a cashier who copied them) and pays, recharges, refunds and reads with them
 * through the gateway, with the real card-service deciding. Every answer is 602, and nothing is written for either
 * tenant; B's own card of the same code is B's alone.
 */
class CrossTenantTillTest {
    private final long tenantA = newTenant();
    private final long tenantB = newTenant();
    private final String managerA = token(tenantA, null, "manager");
    private final String cashierA = token(tenantA, 3L, "cashier");
    private final String managerB = token(tenantB, null, "manager");
    private final String cashierB = token(tenantB, 3L, "cashier");

    /** A written card of code T0001 for the tenant of {@code manager}, with {@code mac} as its secret. */
    private static void writtenCard(String manager, String cashier, String mac) {
        long cardClass = as(manager).contentType(ContentType.JSON).body("{\"name\":\"Stored\",\"cardType\":4,"
                + "\"canRecharge\":true}").post("/api/member/membercardclass/save").then().statusCode(200)
                .extract().jsonPath().getLong("data");
        long order = as(manager).contentType(ContentType.JSON).queryParam("shopid", 3)
                .body("{\"memberCardClassId\":" + cardClass + ",\"startCode\":\"T0001\",\"expectCount\":1}")
                .post("/api/member/membercard/batchcreate").then().statusCode(200).extract().jsonPath()
                .getLong("data");
        long detail = as(cashier).queryParam("id", order).get("/api/member/membercard/getcreateorder").then()
                .statusCode(200).extract().jsonPath().getLong("details[0].id");
        as(cashier).contentType(ContentType.JSON).body("{\"orderId\":" + order + ",\"id\":" + detail + ",\"mac\":\""
                + mac + "\"}").post("/api/member/membercard/writecard").then().body("status", equalTo(200));
    }

    private static void recharge(String cashier, String mac, String key, int money, int status) {
        as(cashier).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body("{\"cardCode\":\"T0001\",\"mac\":\"" + mac + "\",\"payMoney\":" + money
                        + ",\"details\":[{\"paymentType\":1,\"money\":" + money + "}]}")
                .post("/api/member/recharge/recharge").then().statusCode(200).body("status", equalTo(status));
    }

    private static void balance(String cashier, String mac, float balance) {
        as(cashier).queryParam("cardCode", "T0001").queryParam("mac", mac).get("/api/member/cardpay/getcardinfo")
                .then().statusCode(200).body("status", equalTo(200)).body("data.balance", equalTo(balance));
    }

    @Test
    void anotherTenantsCardAndSecretAnswer602AtTheTillAndNothingIsWritten() {
        String macA = Platform.mac("cross-a-" + tenantA);
        String macB = Platform.mac("cross-b-" + tenantB);
        writtenCard(managerA, cashierA, macA);
        recharge(cashierA, macA, "RC-A-" + tenantA, 50, 200);
        as(cashierA).contentType(ContentType.JSON).body("{\"cardCode\":\"T0001\",\"mac\":\"" + macA
                + "\",\"money\":10,\"code\":\"PAY-A-" + tenantA + "\"}").post("/api/member/cardpay/pay").then()
                .statusCode(200).body("status", equalTo(200));

        // B has no card T0001 yet: A's code and secret are nothing at B's till.
        tryEverything(macA);
        // B's own card of the same code, with its own secret: A's secret still opens nothing at B (once: five wrong
        // secrets would lock B's card, as any card).
        writtenCard(managerB, cashierB, macB);
        as(cashierB).contentType(ContentType.JSON).body("{\"cardCode\":\"T0001\",\"mac\":\"" + macA
                + "\",\"money\":1,\"code\":\"PAY-B2-" + tenantB + "\"}").post("/api/member/cardpay/pay")
                .then().statusCode(200).body("status", equalTo(602));
        recharge(cashierB, macB, "RC-B-" + tenantB, 7, 200);

        // Nothing moved: A's card as A left it, B's card with B's recharge only, and each tenant's ledger equals
        // its accounts (A: one account; B: one, written only by B's own recharge).
        balance(cashierA, macA, 40.0f);
        balance(cashierB, macB, 7.0f);
        as(cashierA).queryParam("cardCode", "T0001").queryParam("mac", macB).get("/api/member/cardpay/getcardinfo")
                .then().statusCode(200).body("status", equalTo(602));
        var a = Platform.reconciled(token(tenantA, null, "admin"));
        var b = Platform.reconciled(token(tenantB, null, "admin"));
        org.assertj.core.api.Assertions.assertThat(a.getInt("accounts")).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThat(a.getList("mismatches")).isEmpty();
        org.assertj.core.api.Assertions.assertThat(b.getInt("accounts")).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThat(b.getInt("entries")).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThat(b.getList("mismatches")).isEmpty();
    }

    /** B's cashier pays, recharges, refunds A's payment and reads, with A's card code and secret: 602 each time. */
    private void tryEverything(String macA) {
        as(cashierB).contentType(ContentType.JSON).body("{\"cardCode\":\"T0001\",\"mac\":\"" + macA
                + "\",\"money\":1,\"code\":\"PAY-B-" + System.nanoTime() + "\"}").post("/api/member/cardpay/pay")
                .then().statusCode(200).body("status", equalTo(602));
        recharge(cashierB, macA, "RC-X-" + System.nanoTime(), 5, 602);
        as(cashierB).contentType(ContentType.JSON).header("Idempotency-Key", "RF-X-" + System.nanoTime())
                .body("{\"cardCode\":\"T0001\",\"mac\":\"" + macA + "\",\"money\":1,\"code\":\"PAY-A-" + tenantA
                        + "\"}")
                .post("/api/member/cardpay/refund").then().statusCode(200)
                .body("status", equalTo(602));
        as(cashierB).queryParam("cardCode", "T0001").queryParam("mac", macA).get("/api/member/cardpay/getcardinfo")
                .then().statusCode(200).body("status", equalTo(602));
        as(cashierB).queryParam("mac", macA).get("/api/member/cardpay/getcardinfobymac").then().statusCode(200)
                .body("status", equalTo(602));
        as(cashierB).queryParam("cardCode", "T0001").queryParam("mac", macA).get("/api/member/membercard/get")
                .then().statusCode(200).body("status", equalTo(602));
    }
}
