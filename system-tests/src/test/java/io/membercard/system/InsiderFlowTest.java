package io.membercard.system;

import static io.membercard.system.Platform.as;
import static io.membercard.system.Platform.newTenant;
import static io.membercard.system.Platform.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.membercard.common.testing.Concurrently;
import io.restassured.http.ContentType;

/**
 * Issue 9 through the gateway, with every service running: a dishonest cashier with a valid token tries to cash a
 * customer's card out without its secret, and to guess card secrets fifty at a time at one card and by look-up.
 */
class InsiderFlowTest {
    /** The defaults of membercard.card.mac-lockout: per card, and per caller. */
    private static final int CARD_LIMIT = 5;
    private static final int CALLER_LIMIT = 20;

    private static List<String> writtenCards(long tenant, String manager, String cashier, String start, int count) {
        long cardClass = as(manager).contentType(ContentType.JSON).body("{\"name\":\"Gold\",\"cardType\":4,"
                + "\"canRecharge\":true,\"canPoint\":true,\"pointsBasic\":1,\"pointsToOne\":100}")
                .post("/api/member/membercardclass/save").then().statusCode(200).extract().jsonPath().getLong("data");
        long order = as(manager).contentType(ContentType.JSON).queryParam("shopid", 2)
                .body("{\"memberCardClassId\":" + cardClass + ",\"startCode\":\"" + start + "\",\"expectCount\":"
                        + count + "}")
                .post("/api/member/membercard/batchcreate").then().statusCode(200).extract().jsonPath().getLong("data");
        List<Integer> details = as(cashier).queryParam("id", order).get("/api/member/membercard/getcreateorder")
                .then().statusCode(200).extract().jsonPath().getList("details.id");
        List<String> macs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String mac = Platform.mac("ins-" + tenant + "-" + i);
            as(cashier).contentType(ContentType.JSON)
                    .body("{\"orderId\":" + order + ",\"id\":" + details.get(i) + ",\"mac\":\"" + mac + "\"}")
                    .post("/api/member/membercard/writecard").then().statusCode(200).body("status", equalTo(200));
            macs.add(mac);
        }
        return macs;
    }

    @Test
    void aCashierCannotCashOutACustomersCardWithoutItsSecret() {
        long tenant = newTenant();
        String manager = token(tenant, null, "manager");
        String cashier = token(tenant, 2L, "cashier");
        List<String> macs = writtenCards(tenant, manager, cashier, "X0001", 2);
        String owner = macs.get(0);
        as(cashier).contentType(ContentType.JSON).header("Idempotency-Key", "INS-" + tenant)
                .body("{\"cardCode\":\"X0001\",\"mac\":\"" + owner + "\",\"payMoney\":80,"
                        + "\"details\":[{\"paymentType\":1,\"money\":80}]}")
                .post("/api/member/recharge/recharge").then().statusCode(200).body("status", equalTo(200));

        // The takeover: a new secret of the cashier's own, the account moved to a card the cashier holds, or the
        // balance paid out in cash, none with the customer's card there.
        String thief = Platform.mac("thief-" + tenant);
        as(cashier).contentType(ContentType.JSON).body("{\"code\":\"X0001\",\"mac\":\"" + thief + "\"}")
                .post("/api/member/membercard/rewrite").then().statusCode(403);
        as(cashier).contentType(ContentType.JSON)
                .body("{\"oldCardCode\":\"X0001\",\"cardCode\":\"X0002\",\"mac\":\"" + macs.get(1) + "\"}")
                .post("/api/member/membercard/replace").then().statusCode(400)
                .body("message", startsWith("oldMac: is required"));
        as(cashier).contentType(ContentType.JSON).body("{\"cardCode\":\"X0001\"}")
                .post("/api/member/membercard/reportloss").then().statusCode(200);
        as(cashier).contentType(ContentType.JSON)
                .body("{\"oldCardCode\":\"X0001\",\"cardCode\":\"X0002\",\"mac\":\"" + macs.get(1) + "\"}")
                .post("/api/member/membercard/replace").then().statusCode(403);
        as(cashier).contentType(ContentType.JSON).body("{\"cardCode\":\"X0001\",\"paymentType\":1}")
                .post("/api/member/membercard/returncard").then().statusCode(403);
        as(cashier).contentType(ContentType.JSON)
                .body("{\"cardCode\":\"X0001\",\"mac\":\"" + thief + "\",\"paymentType\":1}")
                .post("/api/member/membercard/returncard").then().statusCode(200).body("status", equalTo(602));

        // Nothing moved: the money is on the customer's card (found again with its secret), the other card has none.
        as(manager).contentType(ContentType.JSON).body("{\"cardCode\":\"X0001\",\"mac\":\"" + owner + "\"}")
                .post("/api/member/membercard/cancelloss").then().statusCode(200);
        as(cashier).queryParam("cardCode", "X0001").queryParam("mac", owner).get("/api/member/membercard/get")
                .then().statusCode(200).body("status", equalTo(2)).body("balance", equalTo(80.0f));
        as(cashier).queryParam("cardCode", "X0002").queryParam("mac", macs.get(1))
                .get("/api/member/membercard/get").then().statusCode(200).body("balance", equalTo(0.0f));
        // The managers' audit shows what the cashier did.
        as(manager).queryParam("cardCode", "X0001").get("/api/member/membercard/getcardlog").then().statusCode(200)
                .body("data[0].action", equalTo("FOUND")).body("data[1].action", equalTo("LOST"))
                .body("data[1].shopId", equalTo(2));
    }

    @Test
    void aCashierCannotListStrangersPhonesOrIdentityNumbers() {
        long tenant = newTenant();
        String manager = token(tenant, null, "manager");
        String cashier = token(tenant, 3L, "cashier");
        long cardClass = as(manager).contentType(ContentType.JSON).body("{\"name\":\"Virtual\",\"cardType\":4,"
                + "\"canRecharge\":true}").post("/api/member/membercardclass/save").then().statusCode(200)
                .extract().jsonPath().getLong("data");
        String suffix = String.format("%08d", tenant % 100_000_000);
        String phone = Platform.phone("139" + suffix);
        String idCard = Platform.idCard("110101199003074573");
        long id = as(manager).contentType(ContentType.JSON).queryParam("shopId", 2)
                .body("{\"name\":\"Stranger\",\"phone\":\"" + phone + "\",\"idCard\":\"" + idCard
                        + "\",\"address\":\"No. 8 Quiet Road, Pudong\",\"cardSendMode\":4,\"cardClassId\":"
                        + cardClass + "}")
                .post("/api/member/member/create").then().statusCode(200).body("status", equalTo(200)).extract()
                .jsonPath().getLong("data");

        // Listing and partial keywords find nobody, or are refused; ids cannot be walked.
        for (String partial : new String[]{"139", phone.substring(0, 7), "1", "_", "Stranger"}) {
            String body = as(cashier).queryParam("keyword", partial).get("/api/member/member/search").then()
                    .extract().asString();
            assertThat(body).doesNotContain(phone).doesNotContain(idCard).doesNotContain("Stranger\"");
        }
        as(cashier).queryParam("keyword", "%").get("/api/member/member/search").then().statusCode(400)
                .body("message", startsWith("keyword: "));
        as(cashier).get("/api/member/member/getlist").then().statusCode(400);
        as(cashier).queryParam("id", id).get("/api/member/member/get").then().statusCode(404);

        // The member in front of the till, by its whole phone number: found, with the numbers cut.
        String found = as(cashier).queryParam("keyword", phone).get("/api/member/member/search").then()
                .statusCode(200).body("[0].id", equalTo((int) id))
                .body("[0].phone", equalTo(phone.substring(0, 3) + "****" + phone.substring(7)))
                .body("[0].idCard", equalTo("**************4573")).extract().asString();
        assertThat(found).doesNotContain(phone).doesNotContain(idCard).doesNotContain("Quiet Road");
        as(manager).queryParam("id", id).get("/api/member/member/get").then().statusCode(200)
                .body("phone", equalTo(phone)).body("idCard", equalTo(idCard));
    }

    @Test
    void fiftyGuessesAtOnceAreHeldToTheLimit() throws Exception {
        long tenant = newTenant();
        String manager = token(tenant, null, "manager");
        String cashier = token(tenant, 2L, "cashier");
        String owner = writtenCards(tenant, manager, cashier, "Y0001", 1).get(0);

        // Fifty wrong secrets at one card at once, through payment-service's card check and card-service's read.
        String guesser = token(tenant, 3L, "cashier");
        Map<Integer, Long> atCard = Concurrently.counted(50, n -> (n % 2 == 0
                ? as(guesser).queryParam("cardCode", "Y0001").queryParam("mac", "guess-" + n)
                        .get("/api/member/membercard/get")
                : as(guesser).contentType(ContentType.JSON).body("{\"cardCode\":\"Y0001\",\"mac\":\"guess-" + n
                        + "\",\"money\":1,\"code\":\"G" + n + "\"}").post("/api/member/cardpay/pay"))
                .then().statusCode(200).extract().path("status"));
        assertThat(atCard.getOrDefault(602, 0L)).isLessThanOrEqualTo(CARD_LIMIT);
        assertThat(atCard.getOrDefault(601, 0L)).isGreaterThanOrEqualTo(50L - CARD_LIMIT);
        as(cashier).queryParam("cardCode", "Y0001").queryParam("mac", owner).get("/api/member/membercard/get")
                .then().body("status", equalTo(601));

        // Fifty look-ups by secret alone (S1-21) at once: held to the caller's limit, then the caller is out.
        String prober = token(tenant, 4L, "cashier");
        Map<Integer, Long> byMac = Concurrently.counted(50, n -> as(prober).queryParam("mac", "probe-" + n)
                .get("/api/member/cardpay/getcardinfobymac").then().statusCode(200).extract().path("status"));
        assertThat(byMac.getOrDefault(602, 0L)).isLessThanOrEqualTo(CALLER_LIMIT);
        assertThat(byMac.getOrDefault(601, 0L)).isGreaterThanOrEqualTo(50L - CALLER_LIMIT);
    }
}
