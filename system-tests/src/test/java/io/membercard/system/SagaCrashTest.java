package io.membercard.system;

import static io.membercard.system.Platform.as;
import static io.membercard.system.Platform.eventually;
import static io.membercard.system.Platform.newTenant;
import static io.membercard.system.Platform.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Sagas cut between their steps (issue 11, item 2): a service is killed after one step is done and before the next,
 * started again by the project's scripts ({@code tools/dev up}), and then the saga has finished (by itself, or by
 * running it again as an operator would) with the money moved once: every account equals its ledger, member-service
 * shows what payment-service has, and no card is left busy.
 * <ul>
 * <li>a replacement: card-service killed while payment-service holds its command;</li>
 * <li>a return: payment-service killed with card-service's command unread;</li>
 * <li>an import chunk: member-service killed after card-service issued the chunk's cards and while payment-service
 * holds their opening balances;</li>
 * <li>a shop migration: member-service killed after card-service copied the shop's cards and while payment-service
 * holds the accounts' move.</li>
 * </ul>
 * The stalled service is frozen with SIGSTOP ({@link Platform#pause}) so that the kill lands between the steps every
 * time; the step reached is read from the log line card-service writes when it is done.
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

    private long cardClass() {
        return as(manager).contentType(ContentType.JSON).body("{\"name\":\"Gold\",\"cardType\":4,"
                + "\"canRecharge\":true,\"canPoint\":true,\"pointsBasic\":10,\"pointsToOne\":100,"
                + "\"pointsValidDays\":365}").post("/api/member/membercardclass/save").then().statusCode(200)
                .extract().jsonPath().getLong("data");
    }

    /** A batch order of {@code count} cards at shop 3, S0001 onwards. */
    private void batch(long cardClass, int count) {
        as(manager).contentType(ContentType.JSON).queryParam("shopid", 3).body("{\"memberCardClassId\":" + cardClass
                + ",\"startCode\":\"S0001\",\"expectCount\":" + count + "}")
                .post("/api/member/membercard/batchcreate").then().statusCode(200).body("status", equalTo(200));
    }

    /** A member of shop 3 on {@code card}, recharged {@code money} with {@code give} as a bonus; answers the phone. */
    private String memberOn(String card, String money, String give) {
        String phone = phone();
        as(cashier).contentType(ContentType.JSON).body("{\"name\":\"断点\",\"phone\":\"" + phone + "\",\"sex\":1,"
                + "\"cardCode\":\"" + card + "\",\"cardMac\":\"" + mac(card) + "\"}").post("/api/member/member/create")
                .then().statusCode(200).body("status", equalTo(200));
        // A bonus without a recharge plan is a manager's to give.
        as(manager).contentType(ContentType.JSON).header("Idempotency-Key", "RCS-" + tenant + "-" + card)
                .body("{\"cardCode\":\"" + card + "\",\"mac\":\"" + mac(card) + "\",\"payMoney\":" + money
                        + ",\"giveMoney\":" + give + ",\"details\":[{\"paymentType\":1,\"money\":" + money + "}]}")
                .post("/api/member/recharge/recharge").then().statusCode(200).body("status", equalTo(200));
        return phone;
    }

    /** Phone numbers the tests used: a file with one twice would rightly refuse the second row. */
    private static final java.util.Set<String> PHONES = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static String phone() {
        String phone;
        do {
            phone = "139" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
        } while (!PHONES.add(phone));
        return Platform.phone(phone);
    }

    private static BigDecimal decimal(JsonPath json, String path) {
        return new BigDecimal(json.getString(path));
    }

    @Test
    void aReplacementWhoseCardServiceDiesBetweenItsStepsFinishesOnceAndLeavesNoCardBusy() {
        batch(cardClass(), 2);
        String phone = memberOn("S0001", "20", "0");

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

    @Test
    void aReturnWhosePaymentServiceDiesBetweenItsStepsFinishesOnceAndLeavesNoCardBusy() {
        batch(cardClass(), 1);
        String phone = memberOn("S0001", "20", "5");

        // card-service records the return and sends the account's payback; payment-service, frozen, never reads it
        // and is killed with the command unread. The till is told the return completes by itself (703).
        Platform.pause("payment-service");
        try {
            as(cashier).contentType(ContentType.JSON).body("{\"cardCode\":\"S0001\",\"mac\":\"" + mac("S0001")
                    + "\",\"paymentType\":1}").post("/api/member/membercard/returncard").then().statusCode(200)
                    .body("status", equalTo(703));
        } finally {
            Platform.kill("payment-service");
        }
        try {
            // card-service's job asks again while payment-service is gone (out of reach), before it is back.
            assertThat(eventually(() -> Platform.logged("card-service", "tenant " + tenant + ": RETURN",
                    "not confirmed yet", "ConnectException"))).as("the job asked a payment-service out of reach")
                    .isTrue();
        } finally {
            Platform.restart();
        }

        // card-service's job asks again under the same operation id, backing off, and, while payment-service is out of
        // reach, keeps asking (its first call may have been carried out: out of reach says nothing about it). The new
        // payment-service answers: the card ends returned, its 20 paid back once, its bonus of 5 forfeited.
        assertThat(Platform.within(Duration.ofSeconds(120), () -> member(phone).getInt("data[0].cardStatus") == 5
                && decimal(member(phone), "data[0].balance").signum() == 0)).as("the member's card returned").isTrue();
        as(cashier).queryParam("cardCode", "S0001").queryParam("mac", mac("S0001"))
                .get("/api/member/membercard/get").then().body("status", equalTo(5)).body("balance", equalTo(0.0f));
        JsonPath log = as(manager).queryParam("cardCode", "S0001").get("/api/member/membercard/getcardlog").then()
                .statusCode(200).extract().jsonPath();
        assertThat(log.getList("data.findAll { it.action == 'RETURNED' }")).as("returns in the card's log").hasSize(1);
        assertThat(new BigDecimal(log.getString("data.find { it.action == 'RETURNED' }.amounts.paidBack")))
                .isEqualByComparingTo("20");
        assertThat(new BigDecimal(log.getString("data.find { it.action == 'RETURNED' }.amounts.forfeitedBonus")))
                .isEqualByComparingTo("5");
        JsonPath ledger = Platform.reconciled(token(tenant, null, "admin"));
        assertThat(ledger.getList("mismatches")).isEmpty();
        assertThat(ledger.getInt("accounts")).isEqualTo(1);
        // A return asked for again is answered from what was done: nothing is paid back twice.
        as(cashier).contentType(ContentType.JSON).body("{\"cardCode\":\"S0001\",\"mac\":\"" + mac("S0001")
                + "\",\"paymentType\":1}").post("/api/member/membercard/returncard").then().statusCode(200)
                .body("status", equalTo(200));
        assertThat(as(manager).queryParam("cardCode", "S0001").get("/api/member/membercard/getcardlog").then()
                .extract().jsonPath().getList("data.findAll { it.action == 'RETURNED' }")).hasSize(1);
    }

    /** A csv of {@code rows} members, each with 10.00, a bonus of 1.00 and 5 points. */
    private static byte[] members(int rows) {
        StringBuilder csv = new StringBuilder("姓名,手机,性别,余额,赠送余额,积分\n");
        for (int i = 0; i < rows; i++) {
            csv.append("会员").append(i).append(',').append(phone()).append(",男,10.00,1.00,5\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private String upload(byte[] file) {
        return as(manager).multiPart("file", "members.csv", file).post("/api/member/member/upload").then()
                .statusCode(200).extract().jsonPath().getString("data");
    }

    private long startImport(String filePath, long cardClass) {
        return as(manager).contentType(ContentType.JSON).body("{\"filePath\":\"" + filePath + "\",\"shopId\":9,"
                + "\"memberCardClassId\":" + cardClass + "}").post("/api/member/member/import").then()
                .statusCode(200).extract().jsonPath().getLong("data");
    }

    /** The import job once it ended (waiting up to {@code limit}). */
    private JsonPath ended(long job, Duration limit) {
        JsonPath[] state = new JsonPath[1];
        boolean ended = Platform.within(limit, () -> {
            state[0] = as(manager).queryParam("id", job).get("/api/member/member/importjob").then().extract()
                    .jsonPath();
            return state[0].getString("status") != null
                    && !List.of("QUEUED", "RUNNING").contains(state[0].getString("status"));
        });
        assertThat(ended).as("import job %d ended within %s", job, limit).isTrue();
        return state[0];
    }

    private JsonPath shop(String token, Long shopId) {
        var request = as(token);
        if (shopId != null) {
            request = request.queryParam("shopId", shopId);
        }
        return request.get("/api/member/member/getlist").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void anImportChunkWhoseMemberServiceDiesBetweenItsStepsIsFinishedOnceByTheNextTurn() {
        long cardClass = cardClass();
        String file = upload(members(20));

        // member-service has recorded the chunk's members as being created and card-service has issued their cards;
        // payment-service, frozen, holds their opening balances; member-service dies there.
        Platform.pause("payment-service");
        long job;
        try {
            job = startImport(file, cardClass);
            assertThat(eventually(() -> Platform.logged("card-service", "tenant " + tenant + ": 20 cards issued")))
                    .as("card-service issued the chunk's cards").isTrue();
            Platform.kill("member-service");
        } finally {
            Platform.resume("payment-service");
        }
        Platform.restart();

        // Once the dead runner's lease runs out (40 s on this platform), the next turn runs the chunk again: what was
        // done is found, not done twice.
        JsonPath done = ended(job, Duration.ofSeconds(150));
        assertThat(done.getString("status")).isEqualTo("DONE");
        assertThat(done.getInt("rejected")).isZero();
        assertThat(done.getInt("created") + done.getInt("existing")).isEqualTo(20);
        assertThat(eventually(() -> {
            JsonPath shop = shop(manager, 9L);
            return shop.getInt("totalCount") == 20
                    && decimal(shop, "sumData.actualBalance").compareTo(new BigDecimal("200.00")) == 0
                    && decimal(shop, "sumData.giveBalance").compareTo(new BigDecimal("20.00")) == 0
                    && shop.getLong("sumData.actualPoints") == 100;
        })).as("member-service's figures: 20 members, their openings once").isTrue();
        JsonPath ledger = Platform.reconciled(token(tenant, null, "admin"));
        assertThat(ledger.getList("mismatches")).isEmpty();
        assertThat(ledger.getInt("accounts")).isEqualTo(20);
        assertThat(shop(manager, 9L).getList("data.cardStatus", Integer.class)).hasSize(20).containsOnly(2);
    }

    @Test
    void aMigrationWhoseMemberServiceDiesBetweenItsStepsIsFinishedOnceByRunningItAgain() {
        batch(cardClass(), 2);
        memberOn("S0001", "20", "2");
        memberOn("S0002", "30", "0");
        long to = newTenant();
        String platform = token(1, null, "platform-admin");
        String body = "{\"tenantIdByMemberExport\":" + tenant + ",\"tenantIdByMemberImport\":" + to
                + ",\"shopId\":3,\"shopName\":\"Xujiahui\",\"dryRun\":false}";

        // card-service has copied the shop's cards into the new tenant (the old ones busy); payment-service, frozen,
        // holds the accounts' move; member-service dies there, and its caller hears nothing.
        Platform.pause("payment-service");
        CompletableFuture<Integer> cut;
        try {
            cut = CompletableFuture.supplyAsync(() -> as(platform).contentType(ContentType.JSON).body(body)
                    .post("/api/member/member/migrate").then().extract().statusCode());
            assertThat(eventually(() -> Platform.logged("card-service", "copied from tenant " + tenant
                    + " to tenant " + to))).as("card-service copied the shop's cards").isTrue();
            Platform.kill("member-service");
        } finally {
            Platform.resume("payment-service");
        }
        assertThat(cut.join()).as("the migration cut off").isNotEqualTo(200);
        Platform.restart();

        // Run again while payment-service is down: it may have moved the money for the first run, so out of reach
        // says nothing; the migration stays failed, and the cards' copies stay (undoing them would strand the money).
        Platform.kill("payment-service");
        try {
            as(platform).contentType(ContentType.JSON).body(body).post("/api/member/member/migrate").then()
                    .statusCode(500).body("message", containsString("run the migration again to finish it"));
        } finally {
            Platform.restart();
        }

        // The operator runs it again: the same migration is taken up and finished, the money moved once.
        JsonPath done = as(platform).contentType(ContentType.JSON).body(body).post("/api/member/member/migrate")
                .then().statusCode(200).extract().jsonPath();
        assertThat(done.getString("data.state")).isEqualTo("DONE");
        assertThat(done.getInt("data.members")).isEqualTo(2);
        assertThat(decimal(done, "data.actualBalance")).isEqualByComparingTo("50.00");
        assertThat(decimal(done, "data.giveBalance")).isEqualByComparingTo("2.00");
        String newManager = token(to, null, "manager");
        assertThat(eventually(() -> {
            JsonPath arrived = shop(newManager, null);
            JsonPath left = shop(manager, 3L);
            return arrived.getInt("totalCount") == 2
                    && decimal(arrived, "sumData.actualBalance").compareTo(new BigDecimal("50.00")) == 0
                    && decimal(arrived, "sumData.giveBalance").compareTo(new BigDecimal("2.00")) == 0
                    && left.getInt("totalCount") == 0 && decimal(left, "sumData.balance").signum() == 0;
        })).as("member-service's figures: both members arrived with their money, none left").isTrue();
        JsonPath arrivedLedger = Platform.reconciled(token(to, null, "admin"));
        assertThat(arrivedLedger.getList("mismatches")).isEmpty();
        assertThat(arrivedLedger.getInt("accounts")).isEqualTo(2);
        assertThat(Platform.reconciled(token(tenant, null, "admin")).getList("mismatches")).isEmpty();
        // No card is left busy: the new tenant's till pays with the moved card; the old card is void.
        String newCashier = token(to, 3L, "cashier");
        as(newCashier).contentType(ContentType.JSON).body("{\"cardCode\":\"S0002\",\"mac\":\"" + mac("S0002")
                + "\",\"money\":5,\"code\":\"MGP-" + to + "\"}").post("/api/member/cardpay/pay").then()
                .statusCode(200).body("status", equalTo(200)).body("data.balance", equalTo(25.0f));
        as(cashier).queryParam("cardCode", "S0001").queryParam("mac", mac("S0001"))
                .get("/api/member/membercard/get").then().body("status", equalTo(4));
    }
}
