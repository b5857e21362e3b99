package io.membercard.system;

import static io.membercard.system.Platform.as;
import static io.membercard.system.Platform.newTenant;
import static io.membercard.system.Platform.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The bank test under a fault campaign (issue 11, item 3). Tills recharge, pay, refund and replay on a few hot cards and
 * more cold ones, through the gateway, while the campaign kills payment-service (kill -9), then card-service, then
 * stops PostgreSQL and then Redis, each started again by the project's scripts. A till that gets no clear answer (a
 * timeout, the gateway's 502, a 500, 703) sends the same command again, with the same serial or Idempotency-Key, until
 * it does, as a till must. Afterwards: every command a till saw succeed is in the ledger exactly once, for the money
 * it was told, and nothing else is; every balance is what those commands made it and never negative; every account
 * equals its ledger; member-service's figures equal payment-service's; and every card still pays (none left busy).
 */
class BankFaultCampaignTest {
    private static final int CLIENTS = 6;
    private static final int HOT = 3;
    private static final int COLD = 9;
    /** Successes the tills must reach between two faults: the platform works again before the next one. */
    private static final int BETWEEN_FAULTS = 40;
    private static final Duration RECOVERY = Duration.ofSeconds(120);

    private final long tenant = newTenant();
    private final String manager = token(tenant, null, "manager");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> cards = new ArrayList<>();
    private final Map<String, BigDecimal> opening = new HashMap<>();

    /** A command a till sent, as it sends it again: the same body and key. */
    private record Command(String kind, String path, String card, String bill, String key, BigDecimal money,
            String body) {
    }

    /** The successes by bill (payments, recharges) and the refunds by their key, with what the till was told. */
    private final Map<String, Command> paid = new ConcurrentHashMap<>();
    private final Map<String, Command> recharged = new ConcurrentHashMap<>();
    private final Map<String, Command> refunded = new ConcurrentHashMap<>();
    private final Map<Command, String> answers = new ConcurrentHashMap<>();
    private final AtomicInteger successes = new AtomicInteger();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    /** The fault under way, for counting the answers it cut off. */
    private final java.util.concurrent.atomic.AtomicReference<String> phase = new java.util.concurrent.atomic.AtomicReference<>(
            "quiet");

    private String mac(String card) {
        return Platform.mac("campaign-" + tenant + "-" + card);
    }

    @Test
    void everyCommandATillSawSucceedIsInTheLedgerOnceThroughKillsAndOutages() throws Exception {
        prepareCards();
        List<Thread> tills = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            String cashier = token(tenant, 3L, "cashier");
            Thread till = new Thread(() -> till(cashier), "till-" + i);
            tills.add(till);
            till.start();
        }
        try {
            progress("before the first fault");
            phase.set("payment-service");
            Platform.kill("payment-service");
            Platform.restart();
            progress("after payment-service was killed and started again");
            phase.set("card-service");
            Platform.kill("card-service");
            Platform.restart();
            progress("after card-service was killed and started again");
            phase.set("postgres");
            Platform.outage("postgres", 3);
            progress("after PostgreSQL was stopped and started again");
            phase.set("redis");
            Platform.outage("redis", 3);
            progress("after Redis was stopped and started again");
        } finally {
            stop.set(true);
            for (Thread till : tills) {
                till.join(RECOVERY.plusSeconds(30).toMillis());
            }
            Platform.restart();
        }
        System.out.println("fault campaign: " + counts);
        assertThat(tills).as("tills still waiting for a clear answer").noneMatch(Thread::isAlive);
        assertThat(unexpected).as("answers no till should get").isEmpty();
        // Each kill and PostgreSQL's outage cut commands off (a Redis outage need not: the database fences alone).
        for (String fault : List.of("payment-service", "card-service", "postgres")) {
            assertThat(counts.get("unclear in " + fault)).as("commands cut off by %s's fault", fault).isNotNull();
        }

        Map<String, BigDecimal> expected = new HashMap<>(opening);
        paid.values().forEach(c -> expected.merge(c.card(), c.money().negate(), BigDecimal::add));
        recharged.values().forEach(c -> expected.merge(c.card(), c.money(), BigDecimal::add));
        refunded.values().forEach(c -> expected.merge(c.card(), c.money(), BigDecimal::add));
        try (Connection db = DriverManager.getConnection(Platform.DATABASE, "membercard", "membercard")) {
            assertThat(entries(db, "PAYMENT", "bill_no", "actual_expense + give_expense"))
                    .as("payments in the ledger, by serial").isEqualTo(money(paid));
            Map<String, BigDecimal> rechargedNow = money(recharged);
            // The first recharges: 300 each (their bonus is not recharged money).
            cards.forEach(card -> rechargedNow.put("OPEN-" + tenant + "-" + card, new BigDecimal("300.00")));
            assertThat(entries(db, "RECHARGE", "bill_no", "actual_recharge")).as("recharges in the ledger, by key")
                    .isEqualTo(rechargedNow);
            Map<String, BigDecimal> refundedByBill = new HashMap<>();
            refunded.values().forEach(c -> refundedByBill.merge(c.bill(), c.money(), BigDecimal::add));
            assertThat(refunds(db)).as("refunds in the ledger, by the payment's serial").isEqualTo(refundedByBill);
            assertThat(count(db, "select count(*) from payment.ledger_entry where tenant_id = ? and kind ="
                    + " 'PAYMENT_REFUND'")).as("refund entries").isEqualTo(refunded.size());
            assertThat(count(db, "select count(*) from payment.ledger_entry where tenant_id = ? and kind not in"
                    + " ('PAYMENT', 'RECHARGE', 'PAYMENT_REFUND')")).as("any other entry").isZero();
            assertThat(balances(db)).as("balances").isEqualTo(expected);
        }
        JsonPath ledger = Platform.reconciled(token(tenant, null, "admin"));
        assertThat(ledger.getList("mismatches")).isEmpty();
        assertThat(ledger.getInt("accounts")).isEqualTo(HOT + COLD);
        BigDecimal total = expected.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(Platform.within(RECOVERY, () -> new BigDecimal(as(manager).get("/api/member/member/getlist")
                .then().statusCode(200).extract().jsonPath().getString("sumData.balance")).compareTo(total) == 0))
                .as("member-service's sum of the balances, %s", total).isTrue();
        // No card is left busy: each pays a cent.
        String cashier = token(tenant, 3L, "cashier");
        for (String card : cards) {
            as(cashier).contentType(ContentType.JSON).body("{\"cardCode\":\"" + card + "\",\"mac\":\"" + mac(card)
                    + "\",\"money\":0.01,\"code\":\"LAST-" + tenant + "-" + card + "\"}")
                    .post("/api/member/cardpay/pay").then().statusCode(200).body("status", equalTo(200));
        }
    }

    /** HOT + COLD members of shop 3, each on a card of a batch order, with 300 (and 100 bonus on every other). */
    private void prepareCards() {
        long cardClass = as(manager).contentType(ContentType.JSON).body("{\"name\":\"Gold\",\"cardType\":4,"
                + "\"canRecharge\":true}").post("/api/member/membercardclass/save").then().statusCode(200)
                .extract().jsonPath().getLong("data");
        as(manager).contentType(ContentType.JSON).queryParam("shopid", 3).body("{\"memberCardClassId\":" + cardClass
                + ",\"startCode\":\"B0001\",\"expectCount\":" + (HOT + COLD) + "}")
                .post("/api/member/membercard/batchcreate").then().statusCode(200).body("status", equalTo(200));
        String cashier = token(tenant, 3L, "cashier");
        for (int i = 1; i <= HOT + COLD; i++) {
            String card = String.format("B%04d", i);
            String phone = Platform.phone("136" + String.format("%08d", ThreadLocalRandom.current()
                    .nextInt(100_000_000)));
            as(cashier).contentType(ContentType.JSON).body("{\"name\":\"储户" + i + "\",\"phone\":\"" + phone
                    + "\",\"cardCode\":\"" + card + "\",\"cardMac\":\"" + mac(card) + "\"}")
                    .post("/api/member/member/create").then().statusCode(200).body("status", equalTo(200));
            String give = i % 2 == 0 ? "100" : "0";
            as(manager).contentType(ContentType.JSON).header("Idempotency-Key", "OPEN-" + tenant + "-" + card)
                    .body("{\"cardCode\":\"" + card + "\",\"mac\":\"" + mac(card) + "\",\"payMoney\":300,"
                            + "\"giveMoney\":" + give + ",\"details\":[{\"paymentType\":1,\"money\":300}]}")
                    .post("/api/member/recharge/recharge").then().statusCode(200).body("status", equalTo(200));
            cards.add(card);
            opening.put(card, new BigDecimal("300").add(new BigDecimal(give)).setScale(2));
        }
    }

    /** Waits until the tills reached {@value #BETWEEN_FAULTS} more successes. */
    private void progress(String when) {
        int from = successes.get();
        assertThat(Platform.within(RECOVERY, () -> successes.get() >= from + BETWEEN_FAULTS))
                .as("the tills' work goes on %s (counts %s)", when, counts).isTrue();
    }

    /** One till: a command at a time, each sent again until its answer is clear. */
    private void till(String cashier) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!stop.get()) {
            Command command = next(random);
            if (command == null) {
                continue;
            }
            long deadline = System.nanoTime() + RECOVERY.toNanos();
            while (!settle(cashier, command)) {
                count("unclear");
                count("unclear in " + phase.get());
                if (System.nanoTime() > deadline) {
                    unexpected.add("no clear answer in " + RECOVERY.toSeconds() + " s to " + command);
                    break;
                }
                pause(300);
            }
        }
    }

    private Command next(ThreadLocalRandom random) {
        String card = random.nextInt(10) < 7 ? cards.get(random.nextInt(HOT)) : cards.get(HOT + random.nextInt(COLD));
        int op = random.nextInt(100);
        if (op < 45) {
            String bill = "P-" + UUID.randomUUID();
            BigDecimal money = BigDecimal.valueOf(random.nextInt(1, 3001), 2);
            return new Command("pay", "/api/member/cardpay/pay", card, bill, null, money, payBody(card, bill, money));
        }
        if (op < 50) {
            String bill = "P-" + UUID.randomUUID();
            return new Command("overdraft", "/api/member/cardpay/pay", card, bill, null, null,
                    payBody(card, bill, new BigDecimal("100000.00")));
        }
        if (op < 65) {
            Command payment = pick(paid);
            if (payment == null) {
                return null;
            }
            BigDecimal money = BigDecimal.valueOf(random.nextInt(1, payment.money().movePointRight(2).intValue() + 1),
                    2);
            return new Command("refund", "/api/member/cardpay/refund", payment.card(), payment.bill(),
                    "R-" + UUID.randomUUID(), money, "{\"cardCode\":\"" + payment.card() + "\",\"mac\":\""
                            + mac(payment.card()) + "\",\"money\":" + money + ",\"code\":\"" + payment.bill() + "\"}");
        }
        if (op < 80) {
            String key = "C-" + UUID.randomUUID();
            BigDecimal money = BigDecimal.valueOf(random.nextInt(100, 5001), 2);
            return new Command("recharge", "/api/member/recharge/recharge", card, key, key, money, "{\"cardCode\":\""
                    + card + "\",\"mac\":\"" + mac(card) + "\",\"payMoney\":" + money + ",\"details\":[{"
                    + "\"paymentType\":1,\"money\":" + money + "}]}");
        }
        List<Command> done = new ArrayList<>(answers.keySet());
        return done.isEmpty()
                ? null
                : new Command("replay", null, null, null, null, null,
                        Integer.toString(random.nextInt(done.size())));
    }

    /** Sends {@code command}; answers whether its outcome is clear (done, or refused with nothing changed). */
    private boolean settle(String cashier, Command command) {
        if ("replay".equals(command.kind())) {
            replay(cashier);
            return true;
        }
        HttpResponse<String> response = send(cashier, command);
        if (response == null) {
            return false;
        }
        int status = status(response);
        if (response.statusCode() == 200 && status == 200) {
            if ("overdraft".equals(command.kind())) {
                unexpected.add("an overdraft was paid: " + response.body());
                return true;
            }
            Map<String, Command> into = switch (command.kind()) {
                case "pay" -> paid;
                case "recharge" -> recharged;
                default -> refunded;
            };
            if (into.put("refund".equals(command.kind()) ? command.key() : command.bill(), command) == null) {
                answers.put(command, response.body());
                successes.incrementAndGet();
                count(command.kind());
            }
            return true;
        }
        if (status == 605 || status == 803) {
            // Refused for the balance or the payment's refundable rest: nothing changed.
            count(status == 605 ? "low-balance" : "refund-too-large");
            return true;
        }
        if ("overdraft".equals(command.kind()) && !unclear(response, status)) {
            unexpected.add("overdraft: " + response.statusCode() + " " + response.body());
            return true;
        }
        if (!unclear(response, status)) {
            unexpected.add(command.kind() + ": " + response.statusCode() + " " + response.body());
            return true;
        }
        // 409 (busy), 429, 5xx, 703, a gateway's page, "try again": not clear, or nothing done yet; asked again.
        return false;
    }

    /**
     * An answer that does not say what became of a command, or says to try again (card-service cannot check a card's
     * secret while Redis is down, and refuses rather than guess: 601 "try again"): the till asks again. Anything else
     * is decided.
     */
    private static boolean unclear(HttpResponse<String> response, int status) {
        return response.statusCode() >= 500 || response.statusCode() == 429 || status == 409 || status == 429
                || status == 500 || status == 703 || status == -1
                || status == 601 && response.body().contains("try again");
    }

    /** A command that succeeded, sent again: the same answer, marked replayed, or no clear answer at all. */
    private void replay(String cashier) {
        List<Map.Entry<Command, String>> done = new ArrayList<>(answers.entrySet());
        if (done.isEmpty()) {
            return;
        }
        Map.Entry<Command, String> first = done.get(ThreadLocalRandom.current().nextInt(done.size()));
        HttpResponse<String> response = send(cashier, first.getKey());
        if (response != null && !unclear(response, status(response)) && status(response) != 200) {
            unexpected.add("replay of " + first.getKey() + ": " + response.statusCode() + " " + response.body());
        } else if (response != null && response.statusCode() == 200 && status(response) == 200) {
            if (!"true".equals(response.headers().firstValue("Idempotent-Replayed").orElse(null))
                    || !response.body().equals(first.getValue())) {
                unexpected.add("replay of " + first.getKey() + ": " + response.body() + " first " + first.getValue());
            } else {
                count("replayed");
            }
        }
    }

    private HttpResponse<String> send(String cashier, Command command) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(Platform.GATEWAY + command.path()))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + cashier)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(command.body()));
        if (command.key() != null) {
            request.header("Idempotency-Key", command.key());
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static int status(HttpResponse<String> response) {
        try {
            return new JsonPath(response.body()).getInt("status");
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private String payBody(String card, String bill, BigDecimal money) {
        return "{\"cardCode\":\"" + card + "\",\"mac\":\"" + mac(card) + "\",\"money\":" + money + ",\"code\":\""
                + bill + "\"}";
    }

    private static Command pick(Map<String, Command> done) {
        List<Command> all = new ArrayList<>(done.values());
        return all.isEmpty() ? null : all.get(ThreadLocalRandom.current().nextInt(all.size()));
    }

    private void count(String what) {
        counts.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
    }

    private static void pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, BigDecimal> money(Map<String, Command> done) {
        Map<String, BigDecimal> money = new HashMap<>();
        done.values().forEach(c -> money.put(c.bill(), c.money().setScale(2)));
        return money;
    }

    /** The tenant's entries of {@code kind} by {@code key}; a key twice in the ledger fails the test. */
    private Map<String, BigDecimal> entries(Connection db, String kind, String key, String money) throws SQLException {
        Map<String, BigDecimal> entries = new HashMap<>();
        try (var query = db.prepareStatement("select " + key + ", " + money + " from payment.ledger_entry"
                + " where tenant_id = ? and kind = ?")) {
            query.setLong(1, tenant);
            query.setString(2, kind);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    BigDecimal before = entries.put(rows.getString(1), rows.getBigDecimal(2).setScale(2));
                    assertThat(before).as("%s %s in the ledger twice", kind, rows.getString(1)).isNull();
                }
            }
        }
        return entries;
    }

    private Map<String, BigDecimal> refunds(Connection db) throws SQLException {
        Map<String, BigDecimal> refunds = new HashMap<>();
        try (var query = db.prepareStatement("""
                select p.bill_no, sum(r.actual_balance + r.give_balance) from payment.ledger_entry r
                join payment.ledger_entry p on p.id = r.ref_entry_id
                where r.tenant_id = ? and r.kind = 'PAYMENT_REFUND' group by p.bill_no""")) {
            query.setLong(1, tenant);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    refunds.put(rows.getString(1), rows.getBigDecimal(2).setScale(2));
                }
            }
        }
        return refunds;
    }

    private Map<String, BigDecimal> balances(Connection db) throws SQLException {
        Map<String, BigDecimal> balances = new HashMap<>();
        try (var query = db.prepareStatement("select card_code, actual_balance, give_balance from payment.account"
                + " where tenant_id = ?")) {
            query.setLong(1, tenant);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    assertThat(rows.getBigDecimal(2).signum()).as("actual balance of %s", rows.getString(1))
                            .isNotNegative();
                    assertThat(rows.getBigDecimal(3).signum()).as("bonus of %s", rows.getString(1)).isNotNegative();
                    balances.put(rows.getString(1), rows.getBigDecimal(2).add(rows.getBigDecimal(3)).setScale(2));
                }
            }
        }
        return balances;
    }

    private long count(Connection db, String sql) throws SQLException {
        try (var query = db.prepareStatement(sql)) {
            query.setLong(1, tenant);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
