package io.membercard.payment.bank;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.membercard.common.testing.Concurrently;
import io.membercard.common.testing.Tokens;
import io.membercard.payment.Stubs;
import io.membercard.payment.Till;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The bank test: many tills at once, for a fixed time, on a few hot cards and many cold ones, mixing recharges,
 * payments, partial refunds, replays of the same serial, double submissions and payments that must fail for low
 * balance. Afterwards every account must equal its ledger and the sum of the operations that succeeded, no balance
 * may be negative, and no serial may have been applied twice.
 */
public abstract class BankScenario {
    private static final Logger LOG = Logger.getLogger(BankScenario.class);
    private static final int CLIENTS = 12;
    private static final Duration RUN = Duration.ofSeconds(6);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, BigDecimal> expected = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Sent> payments = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Sent> refunds = new ConcurrentLinkedQueue<>();
    private final Map<String, BigDecimal> refundedByBill = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());

    /** A request that succeeded, with what it answered. */
    record Sent(String card, String serial, String body, String answer, BigDecimal money, String headerKey) {
    }

    protected abstract Pool pool();

    /** Called once, when half of the run is over. */
    protected void halfway() {
    }

    private String base() {
        return "http://127.0.0.1:" + ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }

    protected void runBank() {
        Till till = Till.newTenant();
        // A chain whose tills together send more than the default requests a second (the platform raised it): the
        // bank test is about money under concurrency, not about the rate limit (RequestRateTest's).
        Stubs.tenantLimit(till.tenant, "requestsPerSecond", 10_000);
        List<Stubs.Card> hot = new ArrayList<>();
        List<Stubs.Card> cold = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            hot.add(Stubs.activeCard());
        }
        for (int i = 0; i < 20; i++) {
            cold.add(Stubs.activeCard());
        }
        Map<String, Stubs.Card> byCode = new HashMap<>();
        List<Stubs.Card> all = new ArrayList<>(hot);
        all.addAll(cold);
        for (Stubs.Card card : all) {
            byCode.put(card.code(), card);
            String give = byCode.size() % 2 == 0 ? "100" : "0";
            till.recharge(till.manager, Till.serial(), card, "{\"cardCode\":\"" + card.code() + "\",\"mac\":\""
                    + card.mac() + "\",\"payMoney\":300,\"giveMoney\":" + give + ",\"details\":[{\"paymentType\":1,"
                    + "\"money\":300}]}").then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo(200));
            expected.put(card.code(), new BigDecimal("300").add(new BigDecimal(give)).setScale(2));
        }

        long end = System.nanoTime() + RUN.toNanos();
        long half = System.nanoTime() + RUN.toNanos() / 2;
        AtomicReference<Boolean> halfDone = new AtomicReference<>(false);
        Concurrently.run(CLIENTS, client -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (System.nanoTime() < end) {
                if (System.nanoTime() > half && halfDone.compareAndSet(false, true)) {
                    halfway();
                }
                Stubs.Card card = random.nextInt(10) < 7
                        ? hot.get(random.nextInt(hot.size()))
                        : cold.get(random.nextInt(cold.size()));
                int op = random.nextInt(100);
                if (op < 40) {
                    pay(till, card, cents(random, 1, 6000), false);
                } else if (op < 48) {
                    overdraft(till, card);
                } else if (op < 60) {
                    replay(till, payments, "/api/member/cardpay/pay");
                } else if (op < 75) {
                    refund(till, random);
                } else if (op < 80) {
                    replay(till, refunds, "/api/member/cardpay/refund");
                } else if (op < 90) {
                    recharge(till, card, cents(random, 100, 10000));
                } else {
                    doubleSubmit(till, card, cents(random, 1, 3000));
                }
            }
            return null;
        });

        LOG.infof("bank: %s", counts);
        assertThat(unexpected).as("answers no till should ever get").isEmpty();
        assertThat(counts.get("paid").get()).as("payments that went through").isGreaterThan(50);
        assertThat(counts.getOrDefault("refunded", new AtomicInteger()).get()).isGreaterThan(5);
        assertThat(counts.getOrDefault("replayed", new AtomicInteger()).get()).isGreaterThan(5);
        assertThat(counts.getOrDefault("low-balance", new AtomicInteger()).get()).isGreaterThan(5);

        // Every balance is the sum of the operations that succeeded, and never negative.
        for (Stubs.Card card : all) {
            Row account = pool().preparedQuery("select actual_balance, give_balance from account"
                    + " where tenant_id = $1 and card_id = $2").execute(Tuple.of(till.tenant, card.id()))
                    .await().indefinitely().iterator().next();
            BigDecimal balance = account.getBigDecimal("actual_balance").add(account.getBigDecimal("give_balance"));
            assertThat(balance).as("balance of %s", card.code()).isEqualByComparingTo(expected.get(card.code()));
            assertThat(account.getBigDecimal("actual_balance").signum()).isNotNegative();
            assertThat(account.getBigDecimal("give_balance").signum()).isNotNegative();
        }
        // Every account equals its ledger.
        io.membercard.payment.Reconciliation.fullPass();
        given().header("Authorization", Tokens.tenant(till.tenant, "admin").bearer())
                .get("/api/member/cardpay/reconcile").then().statusCode(200)
                .body("accounts", org.hamcrest.Matchers.equalTo(all.size()))
                .body("mismatches.size()", org.hamcrest.Matchers.equalTo(0));
        // No serial was applied twice: one payment entry per successful serial, one refund entry per refund.
        long paymentEntries = count("select count(*) from ledger_entry where tenant_id = $1 and kind = 'PAYMENT'",
                till.tenant);
        long distinctBills = count("select count(distinct bill_no) from ledger_entry where tenant_id = $1"
                + " and kind = 'PAYMENT'", till.tenant);
        assertThat(paymentEntries).isEqualTo(distinctBills).isEqualTo(payments.size());
        assertThat(count("select count(*) from ledger_entry where tenant_id = $1 and kind = 'PAYMENT_REFUND'",
                till.tenant)).isEqualTo(refunds.size());
        // Every payment and refund a till saw succeed is in the ledger once, for what the till was told: each
        // payment under its serial, each bill's refunds together.
        Map<String, BigDecimal> paidSeen = new HashMap<>();
        payments.forEach(p -> paidSeen.put(p.serial(), p.money().setScale(2)));
        Map<String, BigDecimal> paidInLedger = new HashMap<>();
        pool().preparedQuery("select bill_no, actual_expense + give_expense as money from ledger_entry"
                + " where tenant_id = $1 and kind = 'PAYMENT'").execute(Tuple.of(till.tenant)).await().indefinitely()
                .forEach(row -> paidInLedger.put(row.getString("bill_no"), row.getBigDecimal("money").setScale(2)));
        assertThat(paidInLedger).as("payments in the ledger, by serial").isEqualTo(paidSeen);
        Map<String, BigDecimal> refundedSeen = new HashMap<>();
        refundedByBill.forEach((bill, money) -> refundedSeen.put(bill, money.setScale(2)));
        Map<String, BigDecimal> refundedInLedger = new HashMap<>();
        pool().preparedQuery("""
                select p.bill_no, sum(r.actual_balance + r.give_balance) as money from ledger_entry r
                join ledger_entry p on p.id = r.ref_entry_id
                where r.tenant_id = $1 and r.kind = 'PAYMENT_REFUND' group by p.bill_no""")
                .execute(Tuple.of(till.tenant)).await().indefinitely()
                .forEach(row -> refundedInLedger.put(row.getString("bill_no"), row.getBigDecimal("money").setScale(2)));
        assertThat(refundedInLedger).as("refunds in the ledger, by bill").isEqualTo(refundedSeen);
        // No refund ever gave back more than its payment took.
        assertThat(count("""
                select count(*) from ledger_entry p where p.tenant_id = $1 and p.kind = 'PAYMENT' and
                  (select coalesce(sum(r.actual_balance + r.give_balance), 0) from ledger_entry r
                   where r.ref_entry_id = p.id) > p.actual_expense + p.give_expense""", till.tenant)).isZero();
        assertThat(count("select count(*) from ledger_entry where tenant_id = $1 and kind = 'PAYMENT'"
                + " and actual_expense + give_expense >= 100000", till.tenant)).as("overdrafts").isZero();
    }

    private long count(String sql, long tenant) {
        return pool().preparedQuery(sql).execute(Tuple.of(tenant)).await().indefinitely().iterator().next().getLong(0);
    }

    private static BigDecimal cents(ThreadLocalRandom random, int min, int max) {
        return BigDecimal.valueOf(random.nextInt(min, max + 1), 2);
    }

    private void count(String what) {
        counts.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
    }

    private HttpResponse<String> post(Till till, String path, String body, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", till.cashier)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int status(HttpResponse<String> response) {
        String body = response.body();
        int at = body.indexOf("\"status\":");
        return at < 0 ? -1 : Integer.parseInt(body.substring(at + 9, body.indexOf(',', at)));
    }

    private static String payBody(Stubs.Card card, String serial, BigDecimal money) {
        return "{\"cardCode\":\"" + card.code() + "\",\"mac\":\"" + card.mac() + "\",\"money\":" + money
                + ",\"code\":\"" + serial + "\"}";
    }

    private void pay(Till till, Stubs.Card card, BigDecimal money, boolean quiet) {
        String serial = UUID.randomUUID().toString();
        String body = payBody(card, serial, money);
        HttpResponse<String> response = post(till, "/api/member/cardpay/pay", body, null);
        record(card, serial, body, money, response);
    }

    private void record(Stubs.Card card, String serial, String body, BigDecimal money, HttpResponse<String> response) {
        int status = status(response);
        if (response.statusCode() == 200 && status == 200) {
            expected.merge(card.code(), money.negate(), BigDecimal::add);
            payments.add(new Sent(card.code(), serial, body, response.body(), money, null));
            count("paid");
        } else if (status == 605) {
            count("low-balance");
        } else if (status == 409) {
            count("busy");
        } else {
            unexpected.add("pay: " + response.statusCode() + " " + response.body());
        }
    }

    private void overdraft(Till till, Stubs.Card card) {
        HttpResponse<String> response = post(till, "/api/member/cardpay/pay",
                payBody(card, UUID.randomUUID().toString(), new BigDecimal("100000.00")), null);
        if (status(response) == 605) {
            count("low-balance");
        } else {
            unexpected.add("overdraft: " + response.statusCode() + " " + response.body());
        }
    }

    private void replay(Till till, ConcurrentLinkedQueue<Sent> done, String path) {
        Sent first = pick(done);
        if (first == null) {
            return;
        }
        HttpResponse<String> response = post(till, path, first.body(), first.headerKey());
        if (response.statusCode() == 200 && "true".equals(response.headers().firstValue("Idempotent-Replayed")
                .orElse(null)) && response.body().equals(first.answer())) {
            count("replayed");
        } else {
            unexpected.add("replay: " + response.statusCode() + " " + response.body() + " first " + first.answer());
        }
    }

    private void refund(Till till, ThreadLocalRandom random) {
        Sent payment = pick(payments);
        if (payment == null) {
            return;
        }
        int cents = payment.money().movePointRight(2).intValue();
        BigDecimal money = BigDecimal.valueOf(random.nextInt(1, cents + 1), 2);
        String key = UUID.randomUUID().toString();
        String body = "{\"cardCode\":\"" + payment.card() + "\",\"mac\":\"mac-" + payment.card().substring(1)
                + "\",\"money\":" + money + ",\"code\":\"" + payment.serial() + "\"}";
        HttpResponse<String> response = post(till, "/api/member/cardpay/refund", body, key);
        int status = status(response);
        if (response.statusCode() == 200 && status == 200) {
            expected.merge(payment.card(), money, BigDecimal::add);
            refundedByBill.merge(payment.serial(), money, BigDecimal::add);
            refunds.add(new Sent(payment.card(), payment.serial(), body, response.body(), money, key));
            count("refunded");
        } else if (status == 803) {
            count("refund-too-large");
        } else if (status == 409) {
            count("busy");
        } else {
            unexpected.add("refund: " + response.statusCode() + " " + response.body());
        }
    }

    private void recharge(Till till, Stubs.Card card, BigDecimal money) {
        String body = "{\"cardCode\":\"" + card.code() + "\",\"mac\":\"" + card.mac() + "\",\"payMoney\":" + money
                + ",\"details\":[{\"paymentType\":1,\"money\":" + money + "}]}";
        HttpResponse<String> response = post(till, "/api/member/recharge/recharge", body,
                UUID.randomUUID().toString());
        int status = status(response);
        if (response.statusCode() == 200 && status == 200) {
            expected.merge(card.code(), money, BigDecimal::add);
            count("recharged");
        } else if (status == 409) {
            count("busy");
        } else {
            unexpected.add("recharge: " + response.statusCode() + " " + response.body());
        }
    }

    /** The same new payment sent twice at once (a till retrying too early): it must apply once. */
    private void doubleSubmit(Till till, Stubs.Card card, BigDecimal money) {
        String serial = UUID.randomUUID().toString();
        String body = payBody(card, serial, money);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + "/api/member/cardpay/pay"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", till.cashier)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        var first = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        var second = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> a = first.join();
        HttpResponse<String> b = second.join();
        boolean aReplayed = a.headers().firstValue("Idempotent-Replayed").isPresent();
        boolean bReplayed = b.headers().firstValue("Idempotent-Replayed").isPresent();
        if (status(a) == 200 && status(b) == 200) {
            if (aReplayed == bReplayed || !a.body().equals(b.body())) {
                unexpected.add("double submit applied twice or answered differently: " + a.body() + " / " + b.body());
                return;
            }
            expected.merge(card.code(), money.negate(), BigDecimal::add);
            payments.add(new Sent(card.code(), serial, body, aReplayed ? b.body() : a.body(), money, null));
            count("paid");
            count("double-submit");
        } else if (status(a) == 200 || status(b) == 200) {
            // One went through. The other is a replay when it came second; it may have been refused first
            // (605: the balance was low until another till's refund or recharge; 409: the card was busy), since a
            // refused attempt leaves no record. Either way the payment applied once (checked at the end).
            HttpResponse<String> other = status(a) == 200 ? b : a;
            if (status(other) != 409 && status(other) != 605) {
                unexpected.add("double submit: one paid, the other answered " + other.body());
            }
            record(card, serial, body, money, status(a) == 200 ? a : b);
        } else {
            record(card, serial, body, money, a);
        }
    }

    private static Sent pick(ConcurrentLinkedQueue<Sent> done) {
        Object[] all = done.toArray();
        return all.length == 0 ? null : (Sent) all[ThreadLocalRandom.current().nextInt(all.length)];
    }
}
