package io.membercard.system;

import static io.membercard.system.Platform.as;
import static io.membercard.system.Platform.newTenant;
import static io.membercard.system.Platform.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Issue 12's day close through the gateway with every service running: a shop's day of recharges, a payment and
 * its partial refund, a recharge refund, a pay-code payment, a gift exchange and a card return; the close gives 904
 * and a report whose every cell is what the tills did, its checks passed (settlement heard every event); a payment
 * after the close turns the day to 905 with that payment in the difference; the re-close is version 2.
 */
class DayCloseFlowTest {
    private static final long SHOP = 2;

    @Test
    void aShopsDayIsClosedCheckedChangedAndClosedAgain() {
        long tenant = newTenant();
        String manager = token(tenant, null, "manager");
        String cashier = token(tenant, SHOP, "cashier");
        String shopManager = token(tenant, SHOP, "manager");
        String today = LocalDate.now(ZoneId.of("Asia/Shanghai")).toString();

        String[] cards = cards(tenant, manager, cashier, 3);
        as(cashier).queryParam("shopId", SHOP).queryParam("date", today).get("/api/member/settlement/getstatus")
                .then().statusCode(200).body("status", equalTo(901));

        // Card 1: 100 in cash with 20 of bonus, a payment of 60, 15 of it refunded, a gift, a pay-code payment of 5.
        as(shopManager).contentType(ContentType.JSON).header("Idempotency-Key", "RC1-" + tenant)
                .body("{" + cards[0] + ",\"payMoney\":100,\"giveMoney\":20,\"details\":[{\"paymentType\":1,"
                        + "\"money\":100}]}")
                .post("/api/member/recharge/recharge").then().statusCode(200)
                .body("status", equalTo(200));
        as(cashier).contentType(ContentType.JSON).body("{" + cards[0] + ",\"money\":60,\"code\":\"B-" + tenant
                + "\"}").post("/api/member/cardpay/pay").then().statusCode(200).body("status", equalTo(200));
        as(cashier).contentType(ContentType.JSON).body("{" + cards[0] + ",\"money\":15,\"code\":\"B-" + tenant
                + "\"}").post("/api/member/cardpay/refund").then().statusCode(200).body("status", equalTo(200));
        long gift = as(manager).contentType(ContentType.JSON).body("{\"name\":\"Cup\",\"points\":20}")
                .post("/api/member/gift/save").then().statusCode(200).extract().jsonPath().getLong("data");
        as(cashier).contentType(ContentType.JSON).header("Idempotency-Key", "G-" + tenant)
                .body("{" + cards[0] + ",\"giftId\":" + gift + "}").post("/api/member/points/exchangegift").then()
                .statusCode(200).body("status", equalTo(200));
        String payCode = Platform.secret(given().baseUri(Platform.PAYMENT).header("X-Service-Key",
                Platform.serviceKey()).contentType(ContentType.JSON)
                .body("{\"tenantId\":" + tenant + ",\"cardCode\":\"D0001\"}").post("/internal/service/paycodes")
                .then().statusCode(200).extract().jsonPath().getString("data.payCode"));
        as(cashier).contentType(ContentType.JSON).body("{\"payCode\":\"" + payCode + "\",\"orderCode\":\"O-"
                + UUID.randomUUID() + "\",\"money\":5}").post("/api/member/paycode/pay").then().statusCode(200)
                .body("status", equalTo(200));
        // Card 2: 30 by type 3, refunded whole.
        as(cashier).contentType(ContentType.JSON).header("Idempotency-Key", "RC2-" + tenant)
                .body("{" + cards[1] + ",\"payMoney\":30,\"details\":[{\"paymentType\":3,\"money\":30}]}")
                .post("/api/member/recharge/recharge").then().statusCode(200).body("status", equalTo(200));
        as(cashier).contentType(ContentType.JSON).body("{" + cards[1] + ",\"billNo\":\"RF-" + tenant
                + "\",\"rechargeCode\":\"RC2-" + tenant + "\",\"paymentType\":3}")
                .post("/api/member/recharge/refund").then().statusCode(200).body("status", equalTo(200));
        // Card 3: 40 in cash, then returned: the 40 paid back in cash.
        as(cashier).contentType(ContentType.JSON).header("Idempotency-Key", "RC3-" + tenant)
                .body("{" + cards[2] + ",\"payMoney\":40,\"details\":[{\"paymentType\":1,\"money\":40}]}")
                .post("/api/member/recharge/recharge").then().statusCode(200).body("status", equalTo(200));
        as(cashier).contentType(ContentType.JSON).body("{" + cards[2] + ",\"paymentType\":1}")
                .post("/api/member/membercard/returncard").then().statusCode(200).body("status", equalTo(200));

        JsonPath closed = close(cashier, today, 904);
        assertThat(closed.getInt("data.version")).isEqualTo(1);
        assertThat(closed.getBoolean("data.checksPassed")).as("the report's checks").isTrue();
        JsonPath report = as(cashier).queryParam("shopId", SHOP).queryParam("date", today)
                .get("/api/member/settlement/getreport").then().statusCode(200).body("status", equalTo(904))
                .extract().jsonPath();
        Map<String, String> cells = new HashMap<>();
        List<Map<String, Object>> lines = report.getList("data.lines");
        for (Map<String, Object> line : lines) {
            cells.put(line.get("operation") + "/" + line.get("paymentType"), line.get("count") + " "
                    + line.get("money") + " " + line.get("actualMoney") + " " + line.get("giveMoney"));
        }
        // The payment of 60 took from actual and bonus in proportion (100:20): 50 and 10; the refund of 15 gave
        // back 12.50 and 2.50.
        assertThat(cells).containsEntry("recharge/1", "2 140.0 140.0 0.0")
                .containsEntry("recharge/3", "1 30.0 30.0 0.0")
                .containsEntry("recharge/null", "1 20.0 0.0 20.0")
                .containsEntry("payment/2", "1 -60.0 -50.0 -10.0")
                .containsEntry("paymentRefund/2", "1 15.0 12.5 2.5")
                .containsEntry("giftExchange/null", "1 0.0 0.0 0.0")
                .containsEntry("rechargeRefund/3", "1 -30.0 -30.0 0.0")
                .containsEntry("cardReturn/1", "1 -40.0 -40.0 0.0");
        assertThat(cells.get("payCodePayment/2")).startsWith("1 -5.0 ");
        assertThat(cells).hasSize(9);
        assertThat(report.getFloat("data.totals.grand.money")).isEqualTo(70.0f);
        assertThat(report.getList("data.checks.passed")).containsOnly(true);

        // A payment after the close: the day turns to 905, that payment in the difference.
        String late = "L-" + tenant;
        as(cashier).contentType(ContentType.JSON).body("{" + cards[0] + ",\"money\":7,\"code\":\"" + late + "\"}")
                .post("/api/member/cardpay/pay").then().statusCode(200).body("status", equalTo(200));
        JsonPath[] status = new JsonPath[1];
        boolean changed = Platform.eventually(() -> {
            status[0] = as(cashier).queryParam("shopId", SHOP).queryParam("date", today)
                    .get("/api/member/settlement/getstatus").then().statusCode(200).extract().jsonPath();
            return status[0].getInt("status") == 905;
        });
        assertThat(changed).as("the day turns to 905: " + status[0].prettify()).isTrue();
        assertThat(status[0].getString("data.difference.entries[0].billNo")).isEqualTo(late);
        assertThat(status[0].getFloat("data.difference.cells[0].money")).isEqualTo(-7.0f);

        // The re-close is version 2, with the payment in it; version 1 stays readable.
        JsonPath again = close(manager, today, 904);
        assertThat(again.getInt("data.version")).isEqualTo(2);
        JsonPath second = as(manager).queryParam("shopId", SHOP).queryParam("date", today)
                .get("/api/member/settlement/getreport").then().statusCode(200).extract().jsonPath();
        assertThat(second.getFloat("data.totals.grand.money")).isEqualTo(63.0f);
        assertThat(second.getFloat("data.previous.difference[0].money")).isEqualTo(-7.0f);
        as(manager).queryParam("shopId", SHOP).queryParam("date", today).queryParam("version", 1)
                .get("/api/member/settlement/getreport").then().statusCode(200).body("status", equalTo(905))
                .body("data.totals.grand.money", equalTo(70.0f));

        // The head office closes the tenant's day once its shop has: the liability it ends with is what the cards
        // hold (63.00: card 1's 120 less 60, plus 15, less 5 and 7), and it rolls.
        JsonPath office = as(manager).contentType(ContentType.JSON).queryParam("date", today).body("{}")
                .post("/api/member/settlement/dayclose").then().statusCode(200).extract().jsonPath();
        assertThat(office.getInt("status")).as(office.prettify()).isEqualTo(904);
        assertThat(office.getBoolean("data.checksPassed")).isTrue();
        JsonPath roll = as(manager).queryParam("date", today).get("/api/member/settlement/getreport").then()
                .statusCode(200).extract().jsonPath();
        assertThat(
                roll.getFloat("data.liability.closing.actualMoney") + roll.getFloat("data.liability.closing.giveMoney"))
                .isEqualTo(63.0f);
        assertThat(roll.getFloat("data.liability.movements.actualMoney")
                + roll.getFloat("data.liability.movements.giveMoney"))
                .isEqualTo(63.0f);
        assertThat(roll.getBoolean("data.checks.find { it.name == 'liabilityRolls' }.passed")).isTrue();
        assertThat(roll.getInt("data.shops[0].shopId")).isEqualTo((int) SHOP);
        // Shop 2 took in 170 and paid back 30 and 40: 100.
        assertThat(roll.getFloat("data.shops[0].actualIn")).isEqualTo(100.0f);
    }

    /**
    * {@code count} cards of the shop, written and each a member's: the request fields ({@code "cardCode":…,
    * "mac":…}) a till sends for them.
    */
    private static String[] cards(long tenant, String manager, String cashier, int count) {
        long cardClass = as(manager).contentType(ContentType.JSON).body("{\"name\":\"Day\",\"cardType\":4,"
                + "\"canRecharge\":true,\"canPoint\":true,\"pointsBasic\":1,\"pointsToOne\":100,"
                + "\"pointsValidDays\":365}")
                .post("/api/member/membercardclass/save").then().statusCode(200).extract().jsonPath().getLong("data");
        long order = as(manager).contentType(ContentType.JSON).queryParam("shopid", SHOP)
                .body("{\"memberCardClassId\":" + cardClass + ",\"startCode\":\"D0001\",\"expectCount\":" + count
                        + "}")
                .post("/api/member/membercard/batchcreate").then().statusCode(200).extract().jsonPath().getLong("data");
        List<Integer> details = as(cashier).queryParam("id", order).get("/api/member/membercard/getcreateorder")
                .then().extract().jsonPath().getList("details.id");
        String[] cards = new String[count];
        for (int i = 0; i < count; i++) {
            String mac = "day-" + tenant + "-" + i;
            as(cashier).contentType(ContentType.JSON).body("{\"orderId\":" + order + ",\"id\":" + details.get(i)
                    + ",\"mac\":\"" + Platform.mac(mac) + "\"}")
                    .post("/api/member/membercard/writecard").then().statusCode(200).body("status", equalTo(200));
            as(cashier).contentType(ContentType.JSON).body("{\"name\":\"日" + i + "\",\"phone\":\""
                    + Platform.phone("136" + String.format("%07d", tenant % 10_000_000) + i) + "\",\"sex\":1,"
                    + "\"cardCode\":\"D000" + (i + 1) + "\",\"cardMac\":\"" + mac + "\"}")
                    .post("/api/member/member/create").then().statusCode(200).body("status", equalTo(200));
            cards[i] = "\"cardCode\":\"D000" + (i + 1) + "\",\"mac\":\"" + mac + "\"";
        }
        return cards;
    }

    /**
     * settlement-service is killed while its close reads the ledger (payment-service frozen, so the read hangs):
     * the close shows 903 once its lease has run out, and the next POST completes it with the report the ledger
     * gives.
     */
    @Test
    void aCloseWhoseServiceIsKilledIs903AndTheNextPostCompletesIt() {
        long tenant = newTenant();
        String manager = token(tenant, null, "manager");
        String cashier = token(tenant, SHOP, "cashier");
        String today = LocalDate.now(ZoneId.of("Asia/Shanghai")).toString();
        String card = cards(tenant, manager, cashier, 1)[0];
        as(cashier).contentType(ContentType.JSON).header("Idempotency-Key", "RK-" + tenant)
                .body("{" + card + ",\"payMoney\":50,\"details\":[{\"paymentType\":1,\"money\":50}]}")
                .post("/api/member/recharge/recharge").then().statusCode(200).body("status", equalTo(200));
        as(cashier).contentType(ContentType.JSON).body("{" + card + ",\"money\":12,\"code\":\"K-" + tenant + "\"}")
                .post("/api/member/cardpay/pay").then().statusCode(200).body("status", equalTo(200));
        // settlement heard of the shop's entries: its own record tells the shop's first entry, without
        // payment-service, which is frozen next.
        assertThat(Platform.eventually(() -> recorded(tenant) == 2)).as("settlement's record of the entries").isTrue();
        Platform.pause("payment-service");
        try {
            as(cashier).contentType(ContentType.JSON).queryParam("shopId", SHOP).queryParam("date", today)
                    .body("{}").post("/api/member/settlement/dayclose").then().statusCode(200)
                    .body("status", equalTo(902)).body("data.progress", equalTo("reading the ledger"));
            Platform.kill("settlement-service");
        } finally {
            Platform.resume("payment-service");
        }
        Platform.restart();
        JsonPath[] status = new JsonPath[1];
        assertThat(Platform.eventually(() -> {
            status[0] = as(cashier).queryParam("shopId", SHOP).queryParam("date", today)
                    .get("/api/member/settlement/getstatus").then().statusCode(200).extract().jsonPath();
            return status[0].getInt("status") == 903;
        })).as("interrupted: " + status[0].prettify()).isTrue();
        JsonPath closed = close(cashier, today, 904);
        assertThat(closed.getInt("data.version")).isEqualTo(1);
        assertThat(closed.getBoolean("data.checksPassed")).isTrue();
        // The report is the ledger's day.
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        LocalDate day = LocalDate.parse(today);
        JsonPath ledger = given().baseUri(Platform.PAYMENT).header("X-Service-Key", Platform.serviceKey())
                .queryParam("tenantId", tenant).queryParam("shopId", SHOP)
                .queryParam("from", day.atStartOfDay(zone).toInstant().toString())
                .queryParam("to", day.plusDays(1).atStartOfDay(zone).toInstant().toString())
                .get("/internal/service/shopdays").then().statusCode(200).extract().jsonPath();
        JsonPath report = as(cashier).queryParam("shopId", SHOP).queryParam("date", today)
                .get("/api/member/settlement/getreport").then().statusCode(200).extract().jsonPath();
        assertThat(report.getList("data.lines.operation")).containsExactlyElementsOf(
                ledger.getList("data.lines.operation"));
        assertThat(report.getList("data.lines.money")).containsExactlyElementsOf(ledger.getList("data.lines.money"));
        assertThat(report.getList("data.lines.count")).containsExactlyElementsOf(ledger.getList("data.lines.count"));
        assertThat(report.getFloat("data.totals.grand.money")).isEqualTo(38.0f);
    }

    /** How many of the tenant's ledger entries settlement-service has heard of (its own table). */
    private static long recorded(long tenant) {
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(Platform.DATABASE, "membercard",
                "membercard");
                var query = db.prepareStatement("select count(*) from settlement.shop_entry where tenant_id = ?")) {
            query.setLong(1, tenant);
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** POSTs the close and follows it until it is {@code expected} (a close may answer 902 and finish after). */
    private static JsonPath close(String token, String date, int expected) {
        JsonPath answer = as(token).contentType(ContentType.JSON).queryParam("shopId", SHOP).queryParam("date", date)
                .body("{}").post("/api/member/settlement/dayclose").then().statusCode(200).extract().jsonPath();
        if (answer.getInt("status") == 902) {
            JsonPath[] now = {answer};
            Platform.eventually(() -> {
                now[0] = as(token).queryParam("shopId", SHOP).queryParam("date", date)
                        .get("/api/member/settlement/getstatus").then().statusCode(200).extract().jsonPath();
                return now[0].getInt("status") != 902;
            });
            answer = now[0];
        }
        assertThat(answer.getInt("status")).as(answer.prettify()).isEqualTo(expected);
        return answer;
    }
}
