package io.membercard.system;

import static io.membercard.system.Platform.as;
import static io.membercard.system.Platform.eventually;
import static io.membercard.system.Platform.newTenant;
import static io.membercard.system.Platform.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Issue 4's path through the gateway with every service running as tools/dev runs it: a member on a batch-order
 * card, recharged and found by phone; its card lost, replaced and paid with; returned; a 1,000-row import with 10
 * bad rows; a shop migrated with its money conserved to the cent. Then the same sagas with a partner service killed
 * part-way: nothing is left half-done, and the work finishes once the service is back.
 */
class MemberFlowTest {
    // Each test its own tenant, card class and cards (JUnit makes an instance per test): no test needs another's
    // data or order.
    private final long tenant = newTenant();
    private final String manager = token(tenant, null, "manager");
    private final String cashier = token(tenant, 3L, "cashier");
    private final String admin = token(tenant, null, "admin");
    private final java.util.Set<String> phones = new java.util.LinkedHashSet<>();
    private long cardClass;

    /** The tenant's card class and a batch order of four cards, M0001 to M0004, at shop 3. */
    @BeforeEach
    void cardClassAndCards() {
        cardClass = as(manager).contentType(ContentType.JSON).body("{\"name\":\"Gold\",\"cardType\":4,"
                + "\"canRecharge\":true,\"canPoint\":true,\"pointsBasic\":10,\"pointsToOne\":100,"
                + "\"pointsValidDays\":365}").post("/api/member/membercardclass/save").then().statusCode(200)
                .extract().jsonPath().getLong("data");
        as(manager).contentType(ContentType.JSON).queryParam("shopid", 3).body("{\"memberCardClassId\":" + cardClass
                + ",\"startCode\":\"M0001\",\"expectCount\":4,\"shopName\":\"Nanjing Road\"}")
                .post("/api/member/membercard/batchcreate").then().statusCode(200).body("status", equalTo(200));
    }

    /** A phone number this test has not used yet (a file with one twice would rightly refuse the second row). */
    private String phone() {
        String phone;
        do {
            phone = "137" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
        } while (phones.contains(phone));
        phones.add(Platform.phone(phone));
        return phone;
    }

    private String mac(String card) {
        return Platform.mac("mac-" + tenant + "-" + card);
    }

    private JsonPath member(String phone) {
        return as(manager).queryParam("keyword", phone).get("/api/member/member/getlist").then().statusCode(200)
                .extract().jsonPath();
    }

    private static BigDecimal decimal(JsonPath json, String path) {
        return new BigDecimal(json.getString(path));
    }

    @Test
    void aMemberOnABatchCardIsRechargedFoundReplacedPaidWithAndReturned() {
        long level = as(manager).contentType(ContentType.JSON).body("{\"name\":\"Silver\",\"level\":1,"
                + "\"discount\":9.5}").post("/api/member/memberlevel/save").then().statusCode(200).extract()
                .jsonPath().getLong("data");

        // 1. A member on the order's first card (the till writes it with its MAC), recharged, found by phone.
        String phone = phone();
        long member = as(cashier).contentType(ContentType.JSON).body("{\"name\":\"李雷\",\"phone\":\"" + phone
                + "\",\"sex\":1,\"cardCode\":\"M0001\",\"cardMac\":\"" + mac("M0001") + "\",\"memberLevelId\":"
                + level + "}").post("/api/member/member/create").then().statusCode(200)
                .body("status", equalTo(200)).extract().jsonPath().getLong("data");
        as(cashier).contentType(ContentType.JSON).header("Idempotency-Key", "RC-" + tenant)
                .body("{\"cardCode\":\"M0001\",\"mac\":\"" + mac("M0001") + "\",\"payMoney\":100,\"details\":[{"
                        + "\"paymentType\":1,\"money\":100}]}")
                .post("/api/member/recharge/recharge").then()
                .statusCode(200).body("status", equalTo(200));
        assertThat(eventually(() -> member(phone).getInt("totalCount") == 1
                && decimal(member(phone), "data[0].balance").compareTo(new BigDecimal("100")) == 0)).isTrue();
        JsonPath found = member(phone);
        assertThat(found.getLong("data[0].id")).isEqualTo(member);
        assertThat(found.getString("data[0].cardCode")).isEqualTo("M0001");
        assertThat(found.getString("data[0].memberLevelName")).isEqualTo("Silver");
        assertThat(decimal(found, "sumData.balance")).isEqualByComparingTo("100");
        assertThat(decimal(found, "sumData.totalRecharge")).isEqualByComparingTo("100");
        as(cashier).queryParam("keyword", phone).get("/api/member/member/search").then().statusCode(200)
                .body("[0].balance", equalTo(100.0f)).body("[0].cardStatus", equalTo(2));
        as(cashier).queryParam("mac", mac("M0001")).get("/api/member/member/search").then()
                .body("[0].id", equalTo((int) member));

        // 2. The card is lost; the member and money move to M0002; the new card pays.
        as(cashier).contentType(ContentType.JSON).body("{\"cardCode\":\"M0001\",\"remark\":\"lost\"}")
                .post("/api/member/membercard/reportloss").then().statusCode(200).body("status", equalTo(200));
        as(cashier).contentType(ContentType.JSON).body("{\"cardCode\":\"M0001\",\"mac\":\"" + mac("M0001")
                + "\",\"money\":1,\"code\":\"LOST-" + tenant + "\"}").post("/api/member/cardpay/pay").then()
                .body("status", equalTo(603));
        // A lost card's secret is gone with it: a manager replaces it.
        as(manager).contentType(ContentType.JSON).body("{\"oldCardCode\":\"M0001\",\"cardCode\":\"M0002\","
                + "\"mac\":\"" + mac("M0002") + "\"}").post("/api/member/membercard/replace").then()
                .statusCode(200).body("status", equalTo(200));
        as(cashier).contentType(ContentType.JSON).body("{\"cardCode\":\"M0002\",\"mac\":\"" + mac("M0002")
                + "\",\"money\":30,\"code\":\"PAY-" + tenant + "\"}").post("/api/member/cardpay/pay").then()
                .statusCode(200).body("status", equalTo(200)).body("data.balance", equalTo(70.0f));
        assertThat(eventually(() -> "M0002".equals(member(phone).getString("data[0].cardCode"))
                && decimal(member(phone), "data[0].balance").compareTo(new BigDecimal("70")) == 0)).isTrue();
        assertThat(member(phone).getInt("data[0].totalPoints")).isEqualTo(3);
        as(cashier).queryParam("cardCode", "M0001").queryParam("mac", mac("M0001"))
                .get("/api/member/membercard/get").then().body("status", equalTo(6));

        // 3. The card is returned: its 70 paid back in cash, the card ends.
        as(cashier).contentType(ContentType.JSON).body("{\"cardCode\":\"M0002\",\"mac\":\"" + mac("M0002")
                + "\",\"paymentType\":1}").post("/api/member/membercard/returncard").then().statusCode(200)
                .body("status", equalTo(200));
        as(cashier).queryParam("cardCode", "M0002").queryParam("mac", mac("M0002"))
                .get("/api/member/membercard/get").then().body("status", equalTo(5)).body("balance", equalTo(0.0f));
        assertThat(eventually(() -> member(phone).getInt("data[0].cardStatus") == 5
                && decimal(member(phone), "data[0].balance").signum() == 0)).isTrue();
        assertThat(Platform.reconciled(admin).getList("mismatches")).isEmpty();
    }

    /** A csv of 1,000 rows for shop 9: 990 good ones (90 of them with money) and 10 with a bad phone. */
    private byte[] importFile() {
        StringBuilder csv = new StringBuilder("姓名,手机,性别,余额,赠送余额,积分\n");
        for (int i = 0; i < 1000; i++) {
            if (i % 100 == 50) {
                csv.append("坏").append(i).append(",1234").append(i).append(",男,,,\n");
            } else {
                boolean money = i % 10 == 0;
                csv.append("会员").append(i).append(',').append(phone()).append(',').append(i % 2 == 0 ? "男" : "女")
                        .append(',').append(money ? "12.34" : "").append(',').append(money ? "1.00" : "")
                        .append(',').append(money ? "5" : "").append('\n');
            }
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private JsonPath runImport(String filePath) {
        long job = as(manager).contentType(ContentType.JSON).body("{\"filePath\":\"" + filePath + "\",\"shopId\":9,"
                + "\"memberCardClassId\":" + cardClass + "}").post("/api/member/member/import").then()
                .statusCode(200).extract().jsonPath().getLong("data");
        JsonPath[] state = new JsonPath[1];
        eventually(() -> {
            state[0] = as(manager).queryParam("id", job).get("/api/member/member/importjob").then().statusCode(200)
                    .extract().jsonPath();
            return !List.of("QUEUED", "RUNNING").contains(state[0].getString("status"));
        });
        return state[0];
    }

    private String upload(byte[] file) {
        return as(manager).multiPart("file", "members.csv", file).post("/api/member/member/upload").then()
                .statusCode(200).extract().jsonPath().getString("data");
    }

    @Test
    void aThousandRowFileIsImportedAndItsTenBadRowsReported() {
        JsonPath job = runImport(upload(importFile()));
        assertThat(job.getString("status")).isEqualTo("DONE");
        assertThat(job.getInt("total")).isEqualTo(1000);
        assertThat(job.getInt("created")).isEqualTo(990);
        assertThat(job.getInt("rejected")).isEqualTo(10);
        assertThat(job.getList("rejections.row", Integer.class)).hasSize(10).contains(52, 152, 952);
        assertThat(job.getList("rejections.reason", String.class)).allMatch(r -> r.startsWith("phone: "));
        assertThat(eventually(() -> {
            JsonPath shop = as(manager).queryParam("shopId", 9).get("/api/member/member/getlist").then()
                    .extract().jsonPath();
            return shop.getInt("totalCount") == 990
                    && decimal(shop, "sumData.actualBalance").compareTo(new BigDecimal("1110.60")) == 0
                    && decimal(shop, "sumData.giveBalance").compareTo(new BigDecimal("90.00")) == 0;
        })).isTrue();
        assertThat(Platform.reconciled(admin).getList("mismatches")).isEmpty();
    }

    @Test
    void aShopMigratesToAnotherTenantWithItsMoneyConservedToTheCent() {
        // The shop: 990 members of the thousand-row file at shop 9, 90 of them with money.
        assertThat(runImport(upload(importFile())).getString("status")).isEqualTo("DONE");
        long to = newTenant();
        String platform = token(1, null, "platform-admin");
        String body = "{\"tenantIdByMemberExport\":" + tenant + ",\"tenantIdByMemberImport\":" + to
                + ",\"shopId\":9,\"shopName\":\"Xujiahui\",\"dryRun\":%s}";
        JsonPath dry = as(platform).contentType(ContentType.JSON).body(body.formatted("true"))
                .post("/api/member/member/migrate").then().statusCode(200).extract().jsonPath();
        assertThat(dry.getString("data.state")).isEqualTo("DRY_RUN");
        assertThat(dry.getInt("data.members")).isEqualTo(990);
        assertThat(decimal(dry, "data.actualBalance")).isEqualByComparingTo("1110.60");
        as(manager).contentType(ContentType.JSON).body(body.formatted("false")).post("/api/member/member/migrate")
                .then().statusCode(403);

        JsonPath done = as(platform).contentType(ContentType.JSON).body(body.formatted("false"))
                .post("/api/member/member/migrate").then().statusCode(200).extract().jsonPath();
        assertThat(done.getString("data.state")).isEqualTo("DONE");
        assertThat(done.getInt("data.members")).isEqualTo(990);
        assertThat(decimal(done, "data.actualBalance")).isEqualByComparingTo("1110.60");
        assertThat(decimal(done, "data.giveBalance")).isEqualByComparingTo("90.00");
        assertThat(done.getLong("data.points")).isEqualTo(450);

        String newManager = token(to, null, "manager");
        assertThat(eventually(() -> {
            JsonPath arrived = as(newManager).get("/api/member/member/getlist").then().extract().jsonPath();
            JsonPath left = as(manager).queryParam("shopId", 9).get("/api/member/member/getlist").then().extract()
                    .jsonPath();
            return arrived.getInt("totalCount") == 990
                    && decimal(arrived, "sumData.actualBalance").compareTo(new BigDecimal("1110.60")) == 0
                    && decimal(arrived, "sumData.giveBalance").compareTo(new BigDecimal("90.00")) == 0
                    && arrived.getLong("sumData.actualPoints") == 450 && left.getInt("totalCount") == 0
                    && decimal(left, "sumData.balance").signum() == 0;
        })).isTrue();
        JsonPath arrivedLedger = Platform.reconciled(token(to, null, "admin"));
        assertThat(arrivedLedger.getInt("accounts")).isEqualTo(90);
        assertThat(arrivedLedger.getList("mismatches")).isEmpty();
        assertThat(Platform.reconciled(admin).getList("mismatches")).isEmpty();
        as(platform).queryParam("id", done.getString("data.migrationId")).get("/api/member/member/getmigration")
                .then().statusCode(200).body("state", equalTo("DONE")).body("toTenantId", equalTo((int) to));
    }

    @Test
    void aPartnerServiceKilledPartWayLeavesNothingHalfDone() {
        // The card of a replacement, with payment-service gone: the saga gives up, the cards stay as they were.
        String phone = phone();
        as(cashier).contentType(ContentType.JSON).body("{\"name\":\"韩梅梅\",\"phone\":\"" + phone
                + "\",\"cardCode\":\"M0003\",\"cardMac\":\"" + mac("M0003") + "\"}")
                .post("/api/member/member/create").then().statusCode(200);
        Platform.kill("payment-service");
        try {
            as(cashier).contentType(ContentType.JSON).body("{\"oldCardCode\":\"M0003\",\"cardCode\":\"M0004\","
                    + "\"mac\":\"" + mac("M0004") + "\",\"oldMac\":\"" + mac("M0003") + "\"}")
                    .post("/api/member/membercard/replace").then()
                    .statusCode(500).body("message", equalTo("the balance service is unavailable: nothing was "
                            + "changed, try again"));
            // An import while payment-service is down stops before any member is made: it ends FAILED.
            byte[] rows = ("姓名,手机,余额\n甲," + phone() + ",5\n乙," + phone() + ",6\n")
                    .getBytes(StandardCharsets.UTF_8);
            String file = upload(rows);
            JsonPath failed = runImport(file);
            assertThat(failed.getString("status")).isEqualTo("FAILED");
            assertThat(failed.getInt("created")).isZero();
            // card-service's part is the same as before: the old card usable, the new one still unwritten.
            as(cashier).queryParam("cardCode", "M0004").get("/api/member/membercard/get?mac=x").then()
                    .body("status", equalTo(602));
            Platform.restart();
            as(cashier).contentType(ContentType.JSON).header("Idempotency-Key", "RC3-" + tenant)
                    .body("{\"cardCode\":\"M0003\",\"mac\":\"" + mac("M0003") + "\",\"payMoney\":8,\"details\":[{"
                            + "\"paymentType\":1,\"money\":8}]}")
                    .post("/api/member/recharge/recharge").then()
                    .statusCode(200).body("status", equalTo(200));
            as(cashier).contentType(ContentType.JSON).body("{\"oldCardCode\":\"M0003\",\"cardCode\":\"M0004\","
                    + "\"mac\":\"" + mac("M0004") + "\",\"oldMac\":\"" + mac("M0003") + "\"}")
                    .post("/api/member/membercard/replace").then()
                    .statusCode(200).body("status", equalTo(200));
            as(cashier).queryParam("cardCode", "M0004").queryParam("mac", mac("M0004"))
                    .get("/api/member/membercard/get").then().body("balance", equalTo(8.0f));
            // The import runs again to its end (a failed job's upload is deleted: the file is sent again): both
            // members, their money once.
            JsonPath done = runImport(upload(rows));
            assertThat(done.getString("status")).isEqualTo("DONE");
            assertThat(done.getInt("created") + done.getInt("existing")).isEqualTo(2);
        } finally {
            Platform.restart();
        }

        // card-service gone while a member is created: the member is not half made.
        String lonely = phone();
        Platform.kill("card-service");
        try {
            as(cashier).contentType(ContentType.JSON).body("{\"name\":\"无卡\",\"phone\":\"" + lonely
                    + "\",\"cardSendMode\":4,\"cardClassId\":" + cardClass + "}").post("/api/member/member/create")
                    .then().statusCode(500).body("message", equalTo("the card service is unavailable: nothing was "
                            + "changed, try again"));
        } finally {
            Platform.restart();
        }
        assertThat(member(lonely).getInt("totalCount")).isZero();
        as(cashier).contentType(ContentType.JSON).body("{\"name\":\"无卡\",\"phone\":\"" + lonely
                + "\",\"cardSendMode\":4,\"cardClassId\":" + cardClass + "}").post("/api/member/member/create")
                .then().statusCode(200);
    }

    @Test
    void noPhoneNumberOrCardSecretReachesAnyLog() {
        // A member made, recharged, found by phone and paid with: the platform logs all of it without either.
        String phone = phone();
        as(cashier).contentType(ContentType.JSON).body("{\"name\":\"日志\",\"phone\":\"" + phone
                + "\",\"sex\":2,\"cardCode\":\"M0001\",\"cardMac\":\"" + mac("M0001") + "\"}")
                .post("/api/member/member/create").then().statusCode(200).body("status", equalTo(200));
        as(cashier).contentType(ContentType.JSON).header("Idempotency-Key", "RCL-" + tenant)
                .body("{\"cardCode\":\"M0001\",\"mac\":\"" + mac("M0001") + "\",\"payMoney\":10,\"details\":[{"
                        + "\"paymentType\":1,\"money\":10}]}")
                .post("/api/member/recharge/recharge").then().statusCode(200).body("status", equalTo(200));
        assertThat(eventually(() -> member(phone).getInt("totalCount") == 1)).isTrue();
        as(cashier).contentType(ContentType.JSON).body("{\"cardCode\":\"M0001\",\"mac\":\"" + mac("M0001")
                + "\",\"money\":3,\"code\":\"PL-" + tenant + "\"}").post("/api/member/cardpay/pay").then()
                .statusCode(200).body("status", equalTo(200));
        String logs = Platform.allLogs();
        for (String sent : phones) {
            assertThat(logs).doesNotContain(sent);
        }
        assertThat(logs).doesNotContain(mac("M0001"));
    }
}
