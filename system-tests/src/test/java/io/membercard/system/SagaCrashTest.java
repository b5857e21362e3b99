package io.membercard.system;

import static io.membercard.system.Platform.as;
import static io.membercard.system.Platform.eventually;
import static io.membercard.system.Platform.newTenant;
import static io.membercard.system.Platform.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * A replacement cut between its steps (issue 11, item 2): card-service has recorded the operation and sent
 * payment-service the account's move, payment-service is stalled with the command in its socket, and card-service is
 * killed before it hears back. Once payment-service goes on and card-service is started again by the project's
 * scripts, the operation's job asks payment-service again under the same operation id: the saga finishes, the money
 * moves once, every account equals its ledger, member-service shows what payment-service has, and no card is left
 * busy.
 */
class SagaCrashTest {
    private final long tenant = newTenant();
    private final String manager = token(tenant, null, "manager");
    private final String cashier = token(tenant, 3L, "cashier");

    private String mac(String card) {
        return Platform.mac("saga-" + tenant + "-" + card);
    }

    private JsonPath member(String phone) {
        return as(manager).queryParam("keyword", phone).get("/api/member/member/getlist").then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void aReplacementWhoseCardServiceDiesBetweenItsStepsFinishesOnceAndLeavesNoCardBusy() {
        long cardClass = as(manager).contentType(ContentType.JSON).body("{\"name\":\"Gold\",\"cardType\":4,"
                + "\"canRecharge\":true}").post("/api/member/membercardclass/save").then().statusCode(200)
                .extract().jsonPath().getLong("data");
        as(manager).contentType(ContentType.JSON).queryParam("shopid", 3).body("{\"memberCardClassId\":" + cardClass
                + ",\"startCode\":\"S0001\",\"expectCount\":2}").post("/api/member/membercard/batchcreate").then()
                .statusCode(200).body("status", equalTo(200));
        String phone = Platform.phone("138" + String.format("%08d", tenant % 100_000_000));
        as(cashier).contentType(ContentType.JSON).body("{\"name\":\"断点\",\"phone\":\"" + phone + "\",\"sex\":1,"
                + "\"cardCode\":\"S0001\",\"cardMac\":\"" + mac("S0001") + "\"}").post("/api/member/member/create")
                .then().statusCode(200).body("status", equalTo(200));
        as(cashier).contentType(ContentType.JSON).header("Idempotency-Key", "RCS-" + tenant)
                .body("{\"cardCode\":\"S0001\",\"mac\":\"" + mac("S0001") + "\",\"payMoney\":20,\"details\":[{"
                        + "\"paymentType\":1,\"money\":20}]}")
                .post("/api/member/recharge/recharge").then().statusCode(200).body("status", equalTo(200));

        // payment-service stalls: card-service records the replacement, sends the move and waits in vain; it tells
        // the till the operation completes by itself (703), and dies before it does.
        Platform.pause("payment-service");
        try {
            as(cashier).contentType(ContentType.JSON).body("{\"oldCardCode\":\"S0001\",\"cardCode\":\"S0002\","
                    + "\"mac\":\"" + mac("S0002") + "\",\"oldMac\":\"" + mac("S0001") + "\"}")
                    .post("/api/member/membercard/replace").then().statusCode(200).body("status", equalTo(703));
            Platform.kill("card-service");
        } finally {
            Platform.resume("payment-service");
        }
        Platform.restart();

        // The saga finished by itself. Watched from member-service (polling the new card with its secret before it
        // has it would be guessing, and lock the card): the member moves to the new card once card-service has.
        assertThat(eventually(() -> "S0002".equals(member(phone).getString("data[0].cardCode"))))
                .as("the member on the new card").isTrue();
        // The money on the new card once, the old card replaced, the new one free.
        as(cashier).queryParam("cardCode", "S0002").queryParam("mac", mac("S0002"))
                .get("/api/member/membercard/get").then().body("status", equalTo(2));
        as(cashier).queryParam("cardCode", "S0002").queryParam("mac", mac("S0002"))
                .get("/api/member/cardpay/getcardinfo").then().body("status", equalTo(200))
                .body("data.balance", equalTo(20.0f));
        as(cashier).queryParam("cardCode", "S0001").queryParam("mac", mac("S0001"))
                .get("/api/member/membercard/get").then().body("status", equalTo(6));
        as(cashier).contentType(ContentType.JSON).header("Idempotency-Key", "RCS2-" + tenant)
                .body("{\"cardCode\":\"S0002\",\"mac\":\"" + mac("S0002") + "\",\"payMoney\":5,\"details\":[{"
                        + "\"paymentType\":1,\"money\":5}]}")
                .post("/api/member/recharge/recharge").then().statusCode(200).body("status", equalTo(200));
        // member-service shows what payment-service has, and the ledger its accounts.
        assertThat(eventually(() -> new BigDecimal(member(phone).getString("data[0].balance"))
                .compareTo(new BigDecimal("25")) == 0)).as("the member's copy of the new card's 25").isTrue();
        JsonPath ledger = Platform.reconciled(token(tenant, null, "admin"));
        assertThat(ledger.getList("mismatches")).isEmpty();
        // The account on the new card, and the old card's tombstone pointing at it: moved once.
        assertThat(ledger.getInt("accounts")).isEqualTo(2);
    }
}
