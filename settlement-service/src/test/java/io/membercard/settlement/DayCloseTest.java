package io.membercard.settlement;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Concurrently;
import io.membercard.common.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A shop's day close against a ledger payment-service answers (WireMock) and the events it sends (posted to the
 * inbox as its outbox does): the report and its checks, the repeat, 905 for an entry the close did not see but not
 * for one it saw, the re-close, the interrupted close, two closes at once, and every refusal.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(Ledger.class)
class DayCloseTest {
    private static final String KEY = "test-only-service-key";
    private static final AtomicLong ENTRY_IDS = new AtomicLong(System.nanoTime() % 1_000_000_000L);
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final String TODAY = LocalDate.now(ZONE).toString();

    /** An instant as the platform writes it. */
    static String at(Instant instant) {
        return io.membercard.common.time.Dates.format(instant, ZONE);
    }

    private final Pool pool;
    private final io.membercard.common.limits.HeavyJobs heavyJobs;
    private long tenant;
    private String cashier;
    private String manager;

    private final io.membercard.settlement.autoclose.AutoCloseJob autoClose;

    DayCloseTest(Pool pool, io.membercard.common.limits.HeavyJobs heavyJobs,
            io.membercard.settlement.autoclose.AutoCloseJob autoClose) {
        this.pool = pool;
        this.heavyJobs = heavyJobs;
        this.autoClose = autoClose;
    }

    @BeforeEach
    void tenant() {
        tenant = ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);
        cashier = Tokens.cashier(tenant, 1);
        manager = Tokens.tenant(tenant, "manager").bearer();
        WireMock wm = Ledger.wiremock();
        wm.resetMappings();
        wm.resetRequests();
        wm.register(get(urlPathEqualTo("/internal/service/shopdays/first")).atPriority(5).willReturn(okJson(
                "{\"status\":200,\"message\":\"\",\"data\":{\"firstEntryAt\":\""
                        + at(Instant.now().minusSeconds(10 * 86_400)) + "\"}}")));
    }

    @AfterEach
    void reset() {
        Ledger.wiremock().resetMappings();
    }

    /** A transaction id that has committed (every later snapshot sees it). */
    private String committedTx() {
        return pool.query("select pg_current_xact_id()::text").execute().await().indefinitely().iterator().next()
                .getString(0);
    }

    private String snapshot() {
        return pool.query("select pg_current_snapshot()::text").execute().await().indefinitely().iterator().next()
                .getString(0);
    }

    /** An entry as payment-service's account.changed event carries it. */
    record Entry(long id, String kind, Integer paymentType, String actual, String give, long points, String tx) {
        String event(long tenant, long shop) {
            return event(tenant, shop, Instant.now());
        }

        String event(long tenant, long shop, Instant createdAt) {
            return "{\"eventId\":\"" + UUID.randomUUID() + "\",\"tenantId\":" + tenant
                    + ",\"type\":\"account.changed\","
                    + "\"aggregateId\":\"1\",\"occurredAt\":\"" + at(Instant.now()) + "\",\"tx\":" + (tx == null
                            ? "null"
                            : "\"" + tx + "\"")
                    + ",\"payload\":{\"accountId\":1,\"cardId\":1,\"cardCode\":\"C1\",\"version\":1,\"entry\":{"
                    + "\"id\":" + id + ",\"kind\":\"" + kind + "\",\"billNo\":\"B" + id + "\",\"paymentType\":"
                    + paymentType + ",\"shopId\":" + shop + ",\"actualBalance\":" + actual + ",\"giveBalance\":"
                    + give + ",\"totalPoints\":" + points + ",\"usedPoints\":0,\"expiredPoints\":0,\"createdAt\":\""
                    + at(createdAt) + "\"}}}";
        }
    }

    private static Entry entry(String kind, Integer paymentType, String actual, String give, long points, String tx) {
        return new Entry(ENTRY_IDS.incrementAndGet(), kind, paymentType, actual, give, points, tx);
    }

    private void deliver(long shop, Entry... entries) {
        List<String> events = new ArrayList<>();
        for (Entry e : entries) {
            events.add(e.event(tenant, shop));
        }
        given().header("X-Service-Key", KEY).contentType(ContentType.JSON).body("[" + String.join(",", events) + "]")
                .post("/internal/service/events").then().log().ifValidationFails().statusCode(204);
    }

    /**
     * The ledger of the day payment-service answers: two recharges of 100 and 50 in cash (the first with 10 of
     * bonus) and a payment of 30 (25 actual, 5 bonus, 3 points), one online refund in doubt; {@code extraPayments}
     * more payments of 1.00 in the kinds (not in the lines), to break a check.
     */
    private static String ledgerDay(String snapshot, int paymentCount, String paymentActual) {
        return """
                {"status":200,"message":"","data":{"snapshot":"%s","firstEntryAt":"2026-01-01 00:00:00",
                 "entries":%d,
                 "lines":[
                  {"operation":"payment","paymentType":2,"count":1,"money":-30.00,"actualMoney":-25.00,"giveMoney":-5.00,
                   "points":3,"usedPoints":0,"expiredPoints":0},
                  {"operation":"recharge","paymentType":null,"count":1,"money":10.00,"actualMoney":0.00,"giveMoney":10.00,
                   "points":0,"usedPoints":0,"expiredPoints":0},
                  {"operation":"recharge","paymentType":1,"count":2,"money":150.00,"actualMoney":150.00,"giveMoney":0.00,
                   "points":0,"usedPoints":0,"expiredPoints":0}],
                 "operations":[
                  {"operation":"payment","paymentType":null,"count":1,"money":-30.00,"actualMoney":-25.00,"giveMoney":-5.00,
                   "points":3,"usedPoints":0,"expiredPoints":0},
                  {"operation":"recharge","paymentType":null,"count":2,"money":160.00,"actualMoney":150.00,"giveMoney":10.00,
                   "points":0,"usedPoints":0,"expiredPoints":0}],
                 "kinds":[
                  {"kind":"PAYMENT","count":%d,"actualMoney":%s,"giveMoney":-5.00,"points":3,"usedPoints":0,"expiredPoints":0},
                  {"kind":"RECHARGE","count":2,"actualMoney":150.00,"giveMoney":10.00,"points":0,"usedPoints":0,"expiredPoints":0}],
                 "breaches":[],
                 "carried":[{"type":"onlineRefundPending","billNo":"RF-9","cardCode":"C9","paymentType":3,"money":20.00,
                   "since":"2026-12-01 10:00:00"}]}}"""
                .formatted(snapshot, 2 + paymentCount, paymentCount,
                        paymentActual);
    }

    private static void ledgerAnswers(String body) {
        Ledger.wiremock().register(get(urlPathEqualTo("/internal/service/shopdays")).atPriority(5)
                .willReturn(okJson(body)));
    }

    /**
    * The ledger answers the day of three entries with a snapshot taken while another transaction is still open;
    * answers that transaction's id (committed since): an entry it wrote is one the close did not see.
    */
    private String lateTransaction() {
        SqlConnection late = pool.getConnection().await().indefinitely();
        try {
            late.query("begin").execute().await().indefinitely();
            String lateTx = late.query("select pg_current_xact_id()::text").execute().await().indefinitely()
                    .iterator().next().getString(0);
            ledgerAnswers(ledgerDay(snapshot(), 1, "-25.00"));
            late.query("commit").execute().await().indefinitely();
            return lateTx;
        } finally {
            late.close().await().indefinitely();
        }
    }

    /** The day's three entries, delivered, and the ledger's answer with a snapshot that saw them. */
    private void aDayOfThreeEntries() {
        String tx = committedTx();
        deliver(1, entry("RECHARGE", 1, "100.00", "10.00", 0, tx), entry("RECHARGE", 1, "50.00", "0.00", 0, tx),
                entry("PAYMENT", 2, "-25.00", "-5.00", 3, tx));
        ledgerAnswers(ledgerDay(snapshot(), 1, "-25.00"));
    }

    private ValidatableResponse close(String token, Object shop, String date, String body) {
        var request = given().header("Authorization", token).contentType(ContentType.JSON).body(body);
        if (shop != null) {
            request.queryParam("shopId", shop);
        }
        if (date != null) {
            request.queryParam("date", date);
        }
        return request.post("/api/member/settlement/dayclose").then().log().ifValidationFails();
    }

    private ValidatableResponse status(String token, long shop, String date) {
        return given().header("Authorization", token).queryParam("shopId", shop).queryParam("date", date)
                .get("/api/member/settlement/getstatus").then();
    }

    private JsonPath report(String token, long shop, String date, Integer version) {
        var request = given().header("Authorization", token).queryParam("shopId", shop).queryParam("date", date);
        if (version != null) {
            request.queryParam("version", version);
        }
        return request.get("/api/member/settlement/getreport").then().statusCode(200).extract().jsonPath();
    }

    private static int ledgerReads() {
        return Ledger.wiremock().find(getRequestedFor(urlPathEqualTo("/internal/service/shopdays"))).size();
    }

    @Test
    void aClosedDayHasItsReportCheckedAndARepeatAnswersItWithoutReadingTheLedgerAgain() {
        status(cashier, 1, TODAY).statusCode(200).body("status", equalTo(901)).body("data.status", equalTo(901));
        aDayOfThreeEntries();
        close(cashier, null, TODAY, "{\"cashCount\":[{\"paymentType\":1,\"money\":148.50}]}").statusCode(200)
                .body("status", equalTo(904)).body("data.status", equalTo(904)).body("data.version", equalTo(1))
                .body("data.shopId", equalTo(1)).body("data.checksPassed", equalTo(true));
        JsonPath report = report(cashier, 1, TODAY, null);
        assertThat(report.getInt("status")).isEqualTo(904);
        assertThat(report.getList("data.lines")).hasSize(3);
        assertThat(report.getString("data.lines[2].operation")).isEqualTo("recharge");
        assertThat(report.getFloat("data.lines[2].money")).isEqualTo(150.0f);
        assertThat(report.getFloat("data.totals.grand.money")).isEqualTo(130.0f);
        assertThat(report.getFloat("data.totals.byPaymentType.find { it.paymentType == 1 }.money")).isEqualTo(150.0f);
        assertThat(report.getList("data.checks.passed")).containsOnly(true);
        assertThat(report.getList("data.checks.name")).containsExactly("linesMatchLedger", "totalsAgree",
                "refundsWithinOriginals", "movesPaired", "paymentTypesMatch", "eventsAgree");
        assertThat(report.getInt("data.points[0].points")).isEqualTo(3);
        assertThat(report.getString("data.carried[0].billNo")).isEqualTo("RF-9");
        // The cash count is a line of the report: 150.00 taken in cash, 148.50 counted.
        assertThat(report.getFloat("data.cashCount[0].expected")).isEqualTo(150.0f);
        assertThat(report.getFloat("data.cashCount[0].difference")).isEqualTo(-1.5f);
        assertThat(ledgerReads()).isEqualTo(1);
        // A repeat (a manager's too) answers the close; the ledger is not read again.
        close(manager, 1, TODAY, "{}").statusCode(200).body("status", equalTo(904)).body("data.version", equalTo(1));
        status(cashier, 1, TODAY).body("status", equalTo(904)).body("data.closedAt",
                org.hamcrest.Matchers.notNullValue());
        assertThat(ledgerReads()).isEqualTo(1);
        // The list holds the day, with the sums.
        given().header("Authorization", manager).queryParam("shopId", 1).queryParam("startDate", TODAY)
                .queryParam("endDate", TODAY).get("/api/member/settlement/getlist").then().statusCode(200)
                .body("data", hasSize(1)).body("data[0].status", equalTo(904)).body("data[0].entries", equalTo(3))
                .body("totalCount", equalTo(1)).body("sumData.money", equalTo(130.0f));
        // Another tenant's same shop and day is not this one's.
        status(Tokens.cashier(tenant + 1, 1), 1, TODAY).body("status", equalTo(901));
    }

    @Test
    void anEntryTheCloseDidNotSeeTurnsTheDayTo905AndAReCloseMakesVersionTwo() throws Exception {
        aDayOfThreeEntries();
        // A payment committed before the close read the ledger, and one whose transaction is still open then.
        String seenTx = committedTx();
        String lateTx = lateTransaction();
        close(cashier, 1, TODAY, "").statusCode(200).body("status", equalTo(904));
        // Their events arrive after the close: the one the close's snapshot saw changes nothing, the other is 905.
        Entry seen = entry("PAYMENT", 2, "-1.00", "0.00", 0, seenTx);
        Entry after = entry("PAYMENT", 2, "-8.00", "-2.00", 1, lateTx);
        deliver(1, seen, after);
        status(cashier, 1, TODAY).statusCode(200).body("status", equalTo(905))
                .body("data.difference.count", equalTo(1))
                .body("data.difference.entries[0].entryId", equalTo((int) after.id()))
                .body("data.difference.entries[0].billNo", equalTo("B" + after.id()))
                .body("data.difference.cells[0].operation", equalTo("payment"))
                .body("data.difference.cells[0].money", equalTo(-10.0f));
        // The re-close reads the ledger again (now with that payment) and makes version 2.
        ledgerAnswers(ledgerDay(snapshot(), 3, "-34.00"));
        close(manager, 1, TODAY, "").statusCode(200).body("data.version", equalTo(2));
        JsonPath first = report(manager, 1, TODAY, 1);
        assertThat(first.getInt("status")).isEqualTo(905);
        assertThat(first.getInt("data.version")).isEqualTo(1);
        JsonPath second = report(manager, 1, TODAY, null);
        assertThat(second.getInt("data.version")).isEqualTo(2);
        assertThat(second.getInt("data.previous.version")).isEqualTo(1);
        given().header("Authorization", manager).queryParam("shopId", 1).queryParam("date", TODAY)
                .queryParam("version", 3).get("/api/member/settlement/getreport").then().statusCode(404);
        // payment-service heard each close; reopening version 2 makes the day not closed, though version 1 stays
        // closed.
        assertThat(dayStates(1, TODAY)).hasSize(2);
        reopen(manager, 1L, TODAY, "{\"reason\":\"recount\"}").statusCode(200);
        var states = dayStates(1, TODAY);
        assertThat(states).hasSize(3);
        assertThat(states.get(1).getBoolean("closed")).isTrue();
        assertThat(states.get(2).getBoolean("closed")).isFalse();
    }

    @Test
    void aMissedEventShowsAsAFailedCheckAndTheCloseStillCompletes() {
        String tx = committedTx();
        // The ledger has two payments; settlement heard of one.
        deliver(1, entry("RECHARGE", 1, "100.00", "10.00", 0, tx), entry("RECHARGE", 1, "50.00", "0.00", 0, tx),
                entry("PAYMENT", 2, "-25.00", "-5.00", 3, tx));
        ledgerAnswers(ledgerDay(snapshot(), 2, "-26.00"));
        close(cashier, 1, TODAY, "").statusCode(200).body("status", equalTo(904))
                .body("data.checksPassed", equalTo(false));
        JsonPath report = report(cashier, 1, TODAY, null);
        assertThat(report.getBoolean("data.checks.find { it.name == 'eventsAgree' }.passed")).isFalse();
        assertThat(report.getString("data.checks.find { it.name == 'eventsAgree' }.problems[0]"))
                .startsWith("PAYMENT: ledger 2 entries, -26.00 actual");
        // The lines (one payment of 25 actual) do not add up to the ledger's two payments either.
        assertThat(report.getBoolean("data.checks.find { it.name == 'linesMatchLedger' }.passed")).isFalse();
        assertThat(report.getBoolean("data.checks.find { it.name == 'totalsAgree' }.passed")).isFalse();
        // The event comes late; a POST on the day whose checks failed closes it again, as version 2.
        deliver(1, entry("PAYMENT", 2, "-1.00", "0.00", 0, tx));
        ledgerAnswers(ledgerDay(snapshot(), 2, "-26.00"));
        close(cashier, 1, TODAY, "").statusCode(200).body("status", equalTo(904)).body("data.version", equalTo(2));
        assertThat(report(cashier, 1, TODAY, null)
                .getBoolean("data.checks.find { it.name == 'eventsAgree' }.passed")).isTrue();
    }

    @Test
    void aCloseThatCouldNotReadTheLedgerIs903AndTheNextPostCompletesIt() {
        Ledger.wiremock().register(get(urlPathEqualTo("/internal/service/shopdays")).atPriority(5)
                .willReturn(aResponse().withStatus(503)));
        close(cashier, 1, TODAY, "").statusCode(200).body("status", equalTo(903))
                .body("data.progress", startsWith("interrupted: "));
        status(cashier, 1, TODAY).body("status", equalTo(903));
        aDayOfThreeEntries();
        close(cashier, 1, TODAY, "").statusCode(200).body("status", equalTo(904)).body("data.version", equalTo(1));
    }

    @Test
    void aCloseWhoseRunnerDiedIs903OnceItsLeaseRunsOutAndIsResumed() {
        aDayOfThreeEntries();
        // A runner that died mid-close: RUNNING, its lease run out.
        pool.preparedQuery("""
                insert into day_close (tenant_id, shop_id, business_date, version, day_start, day_end, requested_by,
                       lease_owner, leased_until, progress, attempts)
                values ($1, 1, $2::date, 1, now() - interval '1 hour', now() + interval '1 hour', '9', 'dead',
                        now() - interval '1 second', 'reading the ledger', 1)""")
                .execute(Tuple.of(tenant, LocalDate.parse(TODAY))).await().indefinitely();
        status(cashier, 1, TODAY).body("status", equalTo(903)).body("data.progress", equalTo("reading the ledger"));
        close(cashier, 1, TODAY, "").statusCode(200).body("status", equalTo(904)).body("data.version", equalTo(1));
    }

    @Test
    void twoTillsClosingAtOnceRunOneClose() throws Exception {
        aDayOfThreeEntries();
        Ledger.wiremock().register(get(urlPathEqualTo("/internal/service/shopdays")).atPriority(4)
                .willReturn(okJson(ledgerDay(snapshot(), 1, "-25.00")).withFixedDelay(1500)));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String token = i % 2 == 0 ? cashier : manager;
                Callable<Integer> post = () -> close(token, 1, TODAY, "").statusCode(200).extract().jsonPath()
                        .getInt("status");
                answers.add(pool.submit(post));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).isIn(902, 904);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(ledgerReads()).isEqualTo(1);
        status(cashier, 1, TODAY).body("status", equalTo(904)).body("data.version", equalTo(1));
    }

    /** The tenant's whole day as payment-service answers it: the shop's day, its one shop, and the liability. */
    private void headOfficeLedger() {
        String day = ledgerDay(snapshot(), 1, "-25.00");
        String office = day.replace("\"breaches\":[],", "\"breaches\":[],\"shops\":[{\"shopId\":1,\"entries\":3,"
                + "\"actualIn\":150.00,\"actualSpent\":25.00}],\"liability\":{\"accounts\":{\"actualMoney\":250.00,"
                + "\"giveMoney\":10.00,\"points\":3},\"after\":{\"actualMoney\":0.00,\"giveMoney\":0.00,"
                + "\"points\":0}},");
        Ledger.wiremock().register(get(urlPathEqualTo("/internal/service/shopdays")).atPriority(3)
                .withQueryParam("shopId", WireMock.absent()).willReturn(okJson(office)));
    }

    /** The head office's close of the day before, ended with {@code closing} (actual, bonus, points). */
    private void yesterdayEndedWith(String actual, String give, long points) {
        pool.preparedQuery("""
                insert into day_close (tenant_id, shop_id, business_date, version, state, day_start, day_end,
                       requested_by, report, closed_at)
                values ($1, null, $2::date - 1, 1, 'CLOSED', now() - interval '2 days', now() - interval '1 day',
                        '9', $3::text::jsonb, now() - interval '1 day')""")
                .execute(Tuple.of(tenant, LocalDate.parse(TODAY), "{\"checks\":[],\"liability\":{\"closing\":"
                        + "{\"actualMoney\":" + actual + ",\"giveMoney\":" + give + ",\"points\":" + points + "}}}"))
                .await().indefinitely();
    }

    @Test
    void theHeadOfficeClosesTheDayAfterItsShopsAndTheLiabilityRollsFromTheDayBefore() {
        aDayOfThreeEntries();
        headOfficeLedger();
        // Yesterday ended owing 125 actual and 5 of bonus; today moved 125 and 5 (150 in, 25 spent; 10 given, 5
        // spent) and 3 points: today ends owing 250, 10 and 3 points, what the accounts hold.
        yesterdayEndedWith("125.00", "5.00", 0);
        close(cashier, null, TODAY, "").statusCode(200).body("status", equalTo(904)).body("data.shopId", equalTo(1));
        close(cashier, null, TODAY, "").statusCode(200).body("data.version", equalTo(1));
        close(manager, null, TODAY, "").statusCode(200).body("status", equalTo(904))
                .body("data.shopId", org.hamcrest.Matchers.nullValue()).body("data.checksPassed", equalTo(true));
        JsonPath report = given().header("Authorization", manager).queryParam("date", TODAY)
                .get("/api/member/settlement/getreport").then().statusCode(200).extract().jsonPath();
        assertThat(report.getInt("status")).isEqualTo(904);
        assertThat(report.getFloat("data.liability.opening.actualMoney")).isEqualTo(125.0f);
        assertThat(report.getFloat("data.liability.movements.actualMoney")).isEqualTo(125.0f);
        assertThat(report.getFloat("data.liability.closing.actualMoney")).isEqualTo(250.0f);
        assertThat(report.getInt("data.liability.closing.points")).isEqualTo(3);
        assertThat(report.getBoolean("data.checks.find { it.name == 'liabilityRolls' }.passed")).isTrue();
        assertThat(report.getBoolean("data.checks.find { it.name == 'shopsClosed' }.passed")).isTrue();
        assertThat(report.getFloat("data.shops[0].net")).isEqualTo(125.0f);
        assertThat(report.getBoolean("data.shops[0].closed")).isTrue();
        given().header("Authorization", manager).queryParam("date", TODAY).get("/api/member/settlement/getstatus")
                .then().body("status", equalTo(904));
        // A payment after the close turns the tenant's day to 905 as well as the shop's.
        deliver(1, entry("PAYMENT", 2, "-3.00", "0.00", 0, committedTx()));
        given().header("Authorization", manager).queryParam("date", TODAY).get("/api/member/settlement/getstatus")
                .then().body("status", equalTo(905)).body("data.difference.count", equalTo(1));
        status(cashier, 1, TODAY).body("status", equalTo(905));
    }

    @Test
    void theHeadOfficeWaitsForAShopWhoseDayChangedAndTheRollFailsWhileTheDayBeforeIsReopened() {
        aDayOfThreeEntries();
        headOfficeLedger();
        close(cashier, 1, TODAY, "").statusCode(200).body("status", equalTo(904));
        // A refund after the shop's close: its day is 905, and the head office waits for its re-close.
        deliver(1, entry("PAYMENT_REFUND", 2, "1.00", "0.00", 0, committedTx()));
        status(cashier, 1, TODAY).body("status", equalTo(905));
        close(manager, null, TODAY, "").statusCode(200).body("status", equalTo(901))
                .body("message", startsWith("shop 1 has not closed"));
        ledgerAnswers(ledgerDay(snapshot(), 1, "-25.00"));
        // (the stub ledger does not hold the refund: the re-close's checks fail, and the head office still waits)
        close(cashier, 1, TODAY, "").statusCode(200).body("data.version", equalTo(2));
        close(manager, null, TODAY, "").statusCode(200).body("status", equalTo(901));
        // The day before's head-office close reopened: the roll cannot be checked, and says so.
        yesterdayEndedWith("125.00", "5.00", 0);
        pool.preparedQuery("update day_close set state = 'REOPENED' where tenant_id = $1 and shop_id is null")
                .execute(Tuple.of(tenant)).await().indefinitely();
        pool.preparedQuery("update day_close set checks_passed = true where tenant_id = $1 and shop_id = 1")
                .execute(Tuple.of(tenant)).await().indefinitely();
        headOfficeLedger();
        close(manager, null, TODAY, "").statusCode(200).body("status", equalTo(904))
                .body("data.checksPassed", equalTo(false));
        JsonPath report = given().header("Authorization", manager).queryParam("date", TODAY)
                .get("/api/member/settlement/getreport").then().statusCode(200).extract().jsonPath();
        assertThat(report.getString("data.checks.find { it.name == 'liabilityRolls' }.problems[0]"))
                .startsWith("the head office's close of the day before is not closed");
    }

    @Test
    void aLiabilityThatDoesNotRollFromTheDayBeforeFailsItsCheck() {
        aDayOfThreeEntries();
        headOfficeLedger();
        yesterdayEndedWith("100.00", "5.00", 0);
        close(cashier, 1, TODAY, "").statusCode(200).body("status", equalTo(904));
        close(manager, null, TODAY, "").statusCode(200).body("status", equalTo(904))
                .body("data.checksPassed", equalTo(false));
        JsonPath report = given().header("Authorization", manager).queryParam("date", TODAY)
                .get("/api/member/settlement/getreport").then().statusCode(200).extract().jsonPath();
        assertThat(report.getString("data.checks.find { it.name == 'liabilityRolls' }.problems[0]"))
                .isEqualTo("the day before ended with 100.00 actual, 5.00 bonus, 0 points; this day opens with "
                        + "125.00, 5.00, 0");
    }

    private ValidatableResponse reopen(String token, Long shop, String date, String body) {
        var request = given().header("Authorization", token).contentType(ContentType.JSON).queryParam("date", date)
                .body(body);
        if (shop != null) {
            request.queryParam("shopId", shop);
        }
        return request.post("/api/member/settlement/reopen").then().log().ifValidationFails();
    }

    @Test
    void onlyAManagerReopensOnlyTheLatestClosedDayWithAReasonAndItIsAudited() {
        String yesterday = LocalDate.parse(TODAY).minusDays(1).toString();
        // Yesterday's close of shop 1 (settlement heard of none of its entries: its check says so), then today's.
        ledgerAnswers(ledgerDay(snapshot(), 1, "-25.00"));
        close(cashier, 1, yesterday, "").statusCode(200).body("status", equalTo(904));
        aDayOfThreeEntries();
        close(cashier, 1, TODAY, "").statusCode(200).body("status", equalTo(904));
        reopen(cashier, 1L, TODAY, "{\"reason\":\"miscounted\"}").statusCode(403);
        reopen(manager, 1L, TODAY, "{}").statusCode(400).body("message", startsWith("reason: "));
        reopen(manager, 1L, TODAY, "{\"reason\":\"" + "x".repeat(201) + "\"}").statusCode(400)
                .body("message", startsWith("reason: "));
        reopen(manager, 1L, TODAY, "{\"reason\":\"a\\u0000b\"}").statusCode(400)
                .body("message", equalTo("reason: must not hold control characters"));
        // Not the latest closed day: yesterday is followed by today's close.
        reopen(manager, 1L, yesterday, "{\"reason\":\"late delivery note\"}").statusCode(409)
                .body("message", startsWith("only the latest closed day"));
        // Another tenant's manager finds nothing to reopen.
        reopen(Tokens.tenant(tenant + 1, "manager").bearer(), 1L, TODAY, "{\"reason\":\"x\"}").statusCode(409)
                .body("message", startsWith("only a closed day"));
        reopen(manager, 1L, TODAY, "{\"reason\":\"miscounted the cash\"}").statusCode(200)
                .body("status", equalTo(901)).body("data.version", equalTo(1));
        status(cashier, 1, TODAY).body("status", equalTo(901));
        // Version 1 stays readable; the next close is version 2.
        JsonPath first = report(manager, 1, TODAY, 1);
        assertThat(first.getInt("status")).isEqualTo(901);
        assertThat(first.getBoolean("data.reopened")).isTrue();
        close(cashier, 1, TODAY, "").statusCode(200).body("status", equalTo(904)).body("data.version", equalTo(2));
        given().header("Authorization", manager).queryParam("shopId", 1).queryParam("date", TODAY)
                .get("/api/member/settlement/getaudit").then().statusCode(200).body("", hasSize(1))
                .body("[0].version", equalTo(1)).body("[0].action", equalTo("REOPENED"))
                .body("[0].reason", equalTo("miscounted the cash"));
        // With the head office's close of today, the shop's day cannot be reopened before it.
        headOfficeLedger();
        close(manager, null, TODAY, "").statusCode(200).body("status", equalTo(904));
        reopen(manager, 1L, TODAY, "{\"reason\":\"again\"}").statusCode(409)
                .body("message", startsWith("the head office has closed"));
        reopen(manager, null, TODAY, "{\"reason\":\"a shop's cash count\"}").statusCode(200)
                .body("status", equalTo(901));
        reopen(manager, 1L, TODAY, "{\"reason\":\"again\"}").statusCode(200).body("status", equalTo(901));
    }

    @Test
    void theReportIsExportedAsXlsxAndCsvWithItsCells() throws Exception {
        aDayOfThreeEntries();
        close(cashier, 1, TODAY, "").statusCode(200).body("status", equalTo(904));
        byte[] xlsx = given().header("Authorization", cashier).queryParam("shopId", 1).queryParam("date", TODAY)
                .get("/api/member/settlement/export").then().statusCode(200)
                .contentType(startsWith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
                .header("Content-Disposition", equalTo("attachment; filename=\"dayclose-shop1-" + TODAY + "-v1.xlsx\""))
                .extract().asByteArray();
        List<List<String>> sheet = new ArrayList<>();
        try (var workbook = new org.dhatim.fastexcel.reader.ReadableWorkbook(new java.io.ByteArrayInputStream(xlsx))) {
            workbook.getFirstSheet().openStream().forEach(row -> {
                List<String> cells = new ArrayList<>();
                for (int i = 0; i < row.getCellCount(); i++) {
                    cells.add(row.getCellText(i));
                }
                sheet.add(cells);
            });
        }
        int header = sheet.indexOf(List.of("operation", "paymentType", "count", "money", "actualMoney", "giveMoney"));
        assertThat(header).isPositive();
        assertThat(sheet.get(header + 1)).containsExactly("payment", "2", "1", "-30.00", "-25.00", "-5.00");
        assertThat(sheet).anySatisfy(row -> assertThat(row).startsWith("grand total", "", "3", "130.00"));
        // The same rows as csv (text through SpreadsheetText, money as plain numbers).
        String csv = given().header("Authorization", manager).queryParam("shopId", 1).queryParam("date", TODAY)
                .queryParam("format", "csv").get("/api/member/settlement/export").then().statusCode(200)
                .contentType(startsWith("text/csv")).extract().asString();
        assertThat(csv).contains("payment,2,1,-30.00,-25.00,-5.00\r\n")
                .contains("onlineRefundPending,RF-9,C9,3,20.00,");
        given().header("Authorization", cashier).queryParam("shopId", 1).queryParam("date", TODAY)
                .queryParam("format", "pdf").get("/api/member/settlement/export").then().statusCode(400)
                .body("message", startsWith("format: "));
        given().header("Authorization", cashier).queryParam("shopId", 2).queryParam("date", TODAY)
                .get("/api/member/settlement/export").then().statusCode(403);
        given().header("Authorization", Tokens.cashier(tenant + 1, 1)).queryParam("shopId", 1)
                .queryParam("date", TODAY).get("/api/member/settlement/export").then().statusCode(200)
                .body("status", equalTo(901));
    }

    @Test
    void aCloseWaitsForAHeavyJobPlaceAndIsRefusedWith429WhenAllAreHeld() {
        aDayOfThreeEntries();
        // The tenant's two places (the platform default) are held by an import and a migration.
        heavyJobs.take(tenant, "import:1").await().indefinitely();
        heavyJobs.take(tenant, "migration:1").await().indefinitely();
        try {
            close(cashier, 1, TODAY, "").statusCode(429).body("status", equalTo(429))
                    .body("message", startsWith("limit heavyJobs reached"));
            status(cashier, 1, TODAY).body("status", equalTo(901));
            assertThat(ledgerReads()).isZero();
        } finally {
            heavyJobs.release(tenant, "import:1").await().indefinitely();
        }
        // With a place free the close runs, and gives its place back when it ends.
        close(cashier, 1, TODAY, "").statusCode(200).body("status", equalTo(904));
        assertThat(heavyJobs.held(tenant).await().indefinitely()).isEqualTo(1L);
        heavyJobs.release(tenant, "migration:1").await().indefinitely();
    }

    @Test
    void badInputOtherShopsAndRolesAreRefusedAndCloseNothing() {
        aDayOfThreeEntries();
        close(cashier, 1, null, "").statusCode(400).body("message", startsWith("date: "));
        close(cashier, 1, "2026-13-01", "").statusCode(400).body("message", startsWith("date: "));
        close(cashier, 1, "+999999999-12-31", "").statusCode(400)
                .body("message", startsWith("date: must be a date from year 1 to 9999"));
        status(cashier, 1, "-5000-01-01").statusCode(400).body("message", startsWith("date: must be a date from"));
        given().header("Authorization", manager).queryParam("shopId", 1).queryParam("startDate", "+999999999-12-31")
                .queryParam("endDate", "+999999999-12-31").get("/api/member/settlement/getlist").then()
                .statusCode(400).body("message", startsWith("startDate: must be a date from"));
        close(cashier, 1, LocalDate.now().plusDays(2).toString(), "").statusCode(400)
                .body("message", startsWith("date: is after today's business day"));
        close(cashier, 1, "2020-01-01", "").statusCode(400)
                .body("message", startsWith("date: is before the shop's first entry"));
        close(cashier, "x", TODAY, "").statusCode(400).body("message", startsWith("shopId: "));
        // The head office closes the tenant's day after its shops: shop 1 has entries and has not closed.
        close(manager, null, TODAY, "").statusCode(200).body("status", equalTo(901))
                .body("message", equalTo("shop 1 has not closed " + TODAY + " yet (or closed it and it changed "
                        + "since, or its checks failed); the head office closes the day after its shops"));
        close(cashier, 1, TODAY, "{\"cashCount\":[{\"paymentType\":1,\"money\":-1}]}").statusCode(400)
                .body("message", startsWith("cashCount[0].money: "));
        close(cashier, 1, TODAY, "{\"cashCount\":[{\"money\":1}]}").statusCode(400)
                .body("message", startsWith("cashCount[0].paymentType: "));
        close(cashier, 1, TODAY, "{\"cashCount\":[{\"paymentType\":1,\"money\":1.234}]}").statusCode(400)
                .body("message", startsWith("cashCount[0].money: "));
        // A cashier closes only the shop in the token; a token without a role of the till closes nothing.
        close(cashier, 2, TODAY, "").statusCode(403);
        status(cashier, 2, TODAY).statusCode(403);
        close(Tokens.tenant(tenant, "member").shop(1).bearer(), 1, TODAY, "").statusCode(403);
        given().contentType(ContentType.JSON).queryParam("shopId", 1).queryParam("date", TODAY)
                .post("/api/member/settlement/dayclose").then().statusCode(401);
        // A shop without entries in this tenant (unknown, or another tenant's) is not found.
        Ledger.wiremock().register(get(urlPathEqualTo("/internal/service/shopdays/first")).atPriority(1)
                .withQueryParam("shopId", WireMock.equalTo("77"))
                .willReturn(okJson("{\"status\":200,\"message\":\"\",\"data\":{\"firstEntryAt\":null}}")));
        close(manager, 77, TODAY, "").statusCode(404).body("message", startsWith("shop 77: "));
        given().header("Authorization", manager).queryParam("shopId", 1).queryParam("startDate", "2025-01-01")
                .queryParam("endDate", TODAY).get("/api/member/settlement/getlist").then().statusCode(400)
                .body("message", startsWith("endDate: must be within 366 days"));
        given().header("Authorization", manager).queryParam("shopId", 1).queryParam("date", TODAY)
                .queryParam("version", 0).get("/api/member/settlement/getreport").then().statusCode(400)
                .body("message", startsWith("version: "));
        assertThat(ledgerReads()).isZero();
        status(cashier, 1, TODAY).body("status", equalTo(901));
        given().header("Authorization", cashier).queryParam("shopId", 1).queryParam("date", TODAY)
                .get("/api/member/settlement/getreport").then().statusCode(200).body("status", equalTo(901))
                .body("data", org.hamcrest.Matchers.nullValue());
    }

    /** member-service's day-close settings for the tenant, as its event carries them. */
    private void daySettings(String json) {
        given().header("X-Service-Key", KEY).contentType(ContentType.JSON)
                .body("[{\"eventId\":\"" + UUID.randomUUID() + "\",\"tenantId\":" + tenant
                        + ",\"type\":\"tenant.dayclose\",\"aggregateId\":\"" + tenant + "\",\"occurredAt\":\""
                        + at(Instant.now()) + "\",\"payload\":" + json + "}]")
                .post("/internal/service/events").then().statusCode(204);
    }

    /** The day.state events this service has sent for the tenant's shop-day, oldest first. */
    private List<io.vertx.core.json.JsonObject> dayStates(long shop, String date) {
        List<io.vertx.core.json.JsonObject> states = new ArrayList<>();
        pool.preparedQuery("""
                              select payload::text from outbox_event where tenant_id = $1 and type = 'day.state'
                and payload::jsonb ->> 'shopId' = $2 and payload::jsonb ->> 'date' = $3 order by seq""")
                .execute(Tuple.of(tenant, Long.toString(shop), date)).await().indefinitely()
                .forEach(row -> states.add(new io.vertx.core.json.JsonObject(row.getString(0))));
        return states;
    }

    /**
     * Issue 12, item 7: the tenant's cut-off sets its days' spans (a 04:00 cut-off: the day runs 04:00 to 04:00),
     * and each change of a shop-day's state (closed, reopened) is sent to payment-service, numbered.
     */
    @Test
    void theTenantsCutOffSetsTheDaysSpanAndEachStateChangeIsSentOn() {
        daySettings("{\"cutOffs\":[{\"from\":null,\"cutOff\":\"04:00\",\"zone\":\"Asia/Shanghai\"}],"
                + "\"decidedAt\":\"" + Instant.now() + "\"}");
        io.membercard.common.days.DaySettings days = io.membercard.common.days.DaySettings
                .defaults(java.time.LocalTime.of(4, 0), ZONE);
        LocalDate date = days.holding(Instant.now());
        aDayOfThreeEntries();
        close(cashier, 1, date.toString(), "").statusCode(200).body("status", equalTo(904));
        Ledger.wiremock().verifyThat(getRequestedFor(urlPathEqualTo("/internal/service/shopdays"))
                .withQueryParam("from", WireMock.equalTo(days.day(date).start().toString()))
                .withQueryParam("to", WireMock.equalTo(days.day(date).end().toString())));
        close(cashier, 1, date.plusDays(1).toString(), "").statusCode(400)
                .body("message", equalTo("date: is after today's business day (" + date + ")"));
        assertThat(dayStates(1, date.toString())).hasSize(1);
        assertThat(dayStates(1, date.toString()).get(0).getBoolean("closed")).isTrue();
        // A repeat of the close tells payment-service again (a till refused for this day is let through by closing
        // it again).
        close(cashier, 1, date.toString(), "").statusCode(200).body("data.version", equalTo(1));
        assertThat(dayStates(1, date.toString())).hasSize(2);
        reopen(manager, 1L, date.toString(), "{\"reason\":\"miscounted\"}").statusCode(200);
        var states = dayStates(1, date.toString());
        assertThat(states).hasSize(3);
        assertThat(states.get(2).getBoolean("closed")).isFalse();
        assertThat(states.get(2).getLong("revision")).isGreaterThan(states.get(1).getLong("revision"));
    }

    /** Where the tenant blocks money operations of a shop whose previous day is not closed, a manager lets it go on. */
    @Test
    void aManagerLetsAShopTradeOnWhileADayIsNotClosedWithAReasonAudited() {
        String yesterday = LocalDate.parse(TODAY).minusDays(1).toString();
        java.util.function.Function<String, ValidatableResponse> allow = query -> given()
                .header("Authorization", manager).contentType(ContentType.JSON).body("{\"reason\":\"till broke\"}")
                .post("/api/member/settlement/allowtrading?" + query).then();
        allow.apply("date=" + yesterday).statusCode(400).body("message", startsWith("shopId: "));
        allow.apply("shopId=1&date=" + TODAY).statusCode(400).body("message", startsWith("date: "));
        allow.apply("shopId=1&date=2026-02-30").statusCode(400).body("message", startsWith("date: "));
        given().header("Authorization", manager).contentType(ContentType.JSON).body("{}")
                .post("/api/member/settlement/allowtrading?shopId=1&date=" + yesterday).then().statusCode(400)
                .body("message", startsWith("reason: "));
        given().header("Authorization", cashier).contentType(ContentType.JSON).body("{\"reason\":\"x\"}")
                .post("/api/member/settlement/allowtrading?shopId=1&date=" + yesterday).then().statusCode(403);
        assertThat(dayStates(1, yesterday)).isEmpty();
        allow.apply("shopId=1&date=" + yesterday).statusCode(200).body("status", equalTo(200))
                .body("data.status", equalTo(901));
        allow.apply("shopId=1&date=" + yesterday).statusCode(200);
        var states = dayStates(1, yesterday);
        assertThat(states).hasSize(1);
        assertThat(states.get(0).getBoolean("allowed")).isTrue();
        assertThat(states.get(0).getBoolean("closed")).isFalse();
        given().header("Authorization", manager).queryParam("shopId", 1).queryParam("date", yesterday)
                .get("/api/member/settlement/getaudit").then().statusCode(200).body("", hasSize(1))
                .body("[0].action", equalTo("ALLOWED")).body("[0].reason", equalTo("till broke"))
                .body("[0].version", org.hamcrest.Matchers.nullValue());
        // Another tenant's manager sees none of it.
        given().header("Authorization", Tokens.tenant(tenant + 1, "manager").bearer()).queryParam("shopId", 1)
                .queryParam("date", yesterday).get("/api/member/settlement/getaudit").then().statusCode(200)
                .body("", hasSize(0));
    }

    /**
     * Days close by themselves for a tenant that asked, once its grace has passed: every shop with entries in the
     * day, then the head office, recorded as the automatic close; two replicas' passes at once close each day once;
     * a finished day is not looked at again; today (not over) and tenants that did not ask are left alone.
     */
    @Test
    void daysCloseByThemselvesAfterTheGraceOnceAcrossReplicas() throws Exception {
        LocalDate yesterday = LocalDate.parse(TODAY).minusDays(1);
        Instant noon = yesterday.atTime(12, 0).atZone(ZONE).toInstant();
        String tx = committedTx();
        List<String> events = new ArrayList<>();
        for (Entry e : List.of(entry("RECHARGE", 1, "100.00", "10.00", 0, tx), entry("RECHARGE", 1, "50.00", "0.00",
                0, tx), entry("PAYMENT", 2, "-25.00", "-5.00", 3, tx))) {
            events.add(e.event(tenant, 1, noon));
        }
        events.add(entry("PAYMENT", 2, "-1.00", "0.00", 0, tx).event(tenant, 2, Instant.now()));
        given().header("X-Service-Key", KEY).contentType(ContentType.JSON).body("[" + String.join(",", events) + "]")
                .post("/internal/service/events").then().statusCode(204);
        ledgerAnswers(ledgerDay(snapshot(), 1, "-25.00"));
        headOfficeLedger();

        // Not asked for: nothing closes.
        autoClose.pass().await().indefinitely();
        status(manager, 1, yesterday.toString()).body("status", equalTo(901));

        daySettings("{\"autoClose\":true,\"autoCloseSince\":\"" + Instant.now().minusSeconds(5 * 86_400)
                + "\",\"graceMinutes\":0,\"decidedAt\":\"" + Instant.now() + "\"}");
        List<Integer> started = Concurrently.run(2, n -> autoClose.pass().await().indefinitely());
        // One pass held the lease and closed shop 1's day and the head office's; the other found it held.
        assertThat(started).contains(0);
        assertThat(pool.preparedQuery("select count(*) from day_close where tenant_id = $1").execute(Tuple.of(tenant))
                .await().indefinitely().iterator().next().getLong(0)).isEqualTo(2);
        status(manager, 1, yesterday.toString()).body("status", equalTo(904)).body("data.version", equalTo(1));
        given().header("Authorization", manager).queryParam("date", yesterday.toString())
                .get("/api/member/settlement/getstatus").then().body("status", equalTo(904));
        assertThat(pool.preparedQuery("select requested_by from day_close where tenant_id = $1")
                .execute(Tuple.of(tenant)).await().indefinitely().iterator().next().getString(0))
                .isEqualTo("auto-close");
        // Shop 2 traded only today, which is not over.
        status(manager, 2, yesterday.toString()).body("status", equalTo(901));
        status(manager, 2, TODAY).body("status", equalTo(901));
        // A manager reopens the day: it is left to people, not closed again.
        reopen(manager, null, yesterday.toString(), "{\"reason\":\"recount\"}").statusCode(200);
        reopen(manager, 1L, yesterday.toString(), "{\"reason\":\"recount\"}").statusCode(200);
        autoClose.pass().await().indefinitely();
        status(manager, 1, yesterday.toString()).body("status", equalTo(901));
        // Off again, so that later runs' passes leave this tenant's days alone.
        daySettings("{\"autoClose\":false,\"decidedAt\":\"" + Instant.now() + "\"}");
    }

    /**
     * settlement's record is summed from its running totals by hour, and read entry by entry only at a day's part
     * hours: with a 00:30 cut-off, the entries of 00:40 on the day and of 00:20 the next morning count, the one of
     * 00:20 on the day (the day before's) does not; the close's check agrees with the ledger only if each is where
     * it belongs.
     */
    @Test
    void settlementsRecordOfADayWithPartHoursAgreesWithTheLedger() {
        daySettings("{\"cutOffs\":[{\"from\":null,\"cutOff\":\"00:30\",\"zone\":\"Asia/Shanghai\"}],"
                + "\"decidedAt\":\"" + Instant.now() + "\"}");
        LocalDate yesterday = io.membercard.common.days.DaySettings.defaults(java.time.LocalTime.of(0, 30), ZONE)
                .holding(Instant.now()).minusDays(1);
        String tx = committedTx();
        List<String> events = new ArrayList<>();
        events.add(entry("RECHARGE", 1, "100.00", "10.00", 0, tx).event(tenant, 1,
                yesterday.atTime(0, 40).atZone(ZONE).toInstant()));
        events.add(entry("RECHARGE", 1, "50.00", "0.00", 0, tx).event(tenant, 1,
                yesterday.atTime(13, 0).atZone(ZONE).toInstant()));
        events.add(entry("PAYMENT", 2, "-25.00", "-5.00", 3, tx).event(tenant, 1,
                yesterday.plusDays(1).atTime(0, 20).atZone(ZONE).toInstant()));
        events.add(entry("RECHARGE", 1, "7.00", "0.00", 0, tx).event(tenant, 1,
                yesterday.atTime(0, 20).atZone(ZONE).toInstant()));
        given().header("X-Service-Key", KEY).contentType(ContentType.JSON).body("[" + String.join(",", events) + "]")
                .post("/internal/service/events").then().statusCode(204);
        ledgerAnswers(ledgerDay(snapshot(), 1, "-25.00"));
        close(cashier, 1, yesterday.toString(), "").statusCode(200).body("status", equalTo(904))
                .body("data.checksPassed", equalTo(true));
    }

    /**
     * An entry settlement has already heard of, whose transaction the ledger's snapshot did not see, is left out of
     * the record the close compares (the running totals hold it; it is taken off), and turns the day to 905 at once.
     */
    @Test
    void anEntryHeardOfBeforeTheCloseButUnseenByItsSnapshotIsLeftOutAndTurnsTheDayTo905() throws Exception {
        String tx = committedTx();
        deliver(1, entry("RECHARGE", 1, "100.00", "10.00", 0, tx), entry("RECHARGE", 1, "50.00", "0.00", 0, tx),
                entry("PAYMENT", 2, "-25.00", "-5.00", 3, tx));
        String lateTx = lateTransaction();
        deliver(1, entry("PAYMENT", 2, "-8.00", "-2.00", 1, lateTx));
        close(cashier, 1, TODAY, "").statusCode(200).body("data.checksPassed", equalTo(true));
        status(cashier, 1, TODAY).body("status", equalTo(905)).body("data.difference.count", equalTo(1));
    }

    /**
     * A day shorter than an hour (zones changed across it: 12:10 to 12:40 UTC) has no whole hour: its entries are
     * read one by one, and the one of 12:45, the next day's, is not counted.
     */
    @Test
    void aDayWithinOneHourCountsOnlyItsOwnEntries() {
        LocalDate date = LocalDate.now(java.time.ZoneOffset.UTC).minusDays(3);
        daySettings("{\"cutOffs\":[{\"from\":null,\"cutOff\":\"00:10\",\"zone\":\"Etc/GMT+12\"},"
                + "{\"from\":\"" + date.plusDays(1) + "\",\"cutOff\":\"02:40\",\"zone\":\"Pacific/Kiritimati\"}],"
                + "\"decidedAt\":\"" + Instant.now() + "\"}");
        java.util.function.IntFunction<Instant> at = minute -> date.atTime(12, minute)
                .toInstant(java.time.ZoneOffset.UTC);
        String tx = committedTx();
        List<String> events = new ArrayList<>();
        events.add(entry("RECHARGE", 1, "100.00", "10.00", 0, tx).event(tenant, 1, at.apply(15)));
        events.add(entry("RECHARGE", 1, "50.00", "0.00", 0, tx).event(tenant, 1, at.apply(25)));
        events.add(entry("PAYMENT", 2, "-25.00", "-5.00", 3, tx).event(tenant, 1, at.apply(35)));
        events.add(entry("RECHARGE", 1, "7.00", "0.00", 0, tx).event(tenant, 1, at.apply(45)));
        given().header("X-Service-Key", KEY).contentType(ContentType.JSON).body("[" + String.join(",", events) + "]")
                .post("/internal/service/events").then().statusCode(204);
        ledgerAnswers(ledgerDay(snapshot(), 1, "-25.00"));
        close(cashier, 1, date.toString(), "").statusCode(200).body("status", equalTo(904))
                .body("data.checksPassed", equalTo(true));
        Ledger.wiremock().verifyThat(getRequestedFor(urlPathEqualTo("/internal/service/shopdays"))
                .withQueryParam("from", WireMock.equalTo(at.apply(10).toString()))
                .withQueryParam("to", WireMock.equalTo(at.apply(40).toString())));
    }
}
