package io.membercard.payment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Random sequences of recharges (with bonus, by cash, WeChat or Alipay), payments, partial payment refunds and
 * recharge refunds (by type and along the original types), in every payment order; after every step: the bonus of a
 * refunded recharge never comes back, every cent of actual spending is a payment that still stands, no expense is
 * negative, and no payment type is paid back more than came in by it.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServicesStub.class)
class RefundInvariantsTest {
    private static final String[] ORDERS = {"PROPORTIONAL", "GIVE_FIRST", "ACTUAL_FIRST"};
    private static final int[] TYPES = {1, 3, 4};

    private final Pool pool;

    RefundInvariantsTest(Pool pool) {
        this.pool = pool;
    }

    @BeforeEach
    void stubs() {
        Stubs.resetCardService();
        Stubs.unknownCardsByDefault();
    }

    @Test
    void refundsKeepTheInvariantsWhateverTheirOrder() {
        long seed = System.nanoTime();
        for (String order : ORDERS) {
            run(new Random(seed ^ order.hashCode()), order, seed);
        }
    }

    private void run(Random random, String order, long seed) {
        Till till = Till.newTenant();
        given().header("X-Service-Key", "test-only-service-key").contentType(ContentType.JSON)
                .body("{\"splitOrder\":\"" + order + "\"}")
                .put("/internal/service/tenants/" + till.tenant + "/payment-settings").then().statusCode(200);
        List<Stubs.Card> cards = List.of(Stubs.activeCard(), Stubs.activeCard());
        List<String[]> payments = new ArrayList<>();
        for (int step = 0; step < 60; step++) {
            Stubs.Card card = cards.get(random.nextInt(cards.size()));
            // Mostly in the order that mixes them most (recharge, spend, refund the recharge, refund the spending),
            // sometimes any op.
            int op = random.nextInt(4) == 0 ? random.nextInt(10) : new int[]{0, 4, 5, 9, 7, 6}[step % 6];
            if (op < 3) {
                recharge(till, card, random);
            } else if (op < 6) {
                String bill = "P-" + step;
                BigDecimal money = money(random, 80);
                if (till.pay(card, bill, money.toPlainString()).then().extract().jsonPath().getInt("status") == 200) {
                    payments.add(new String[]{card.code(), bill});
                }
            } else if (op < 8 && !payments.isEmpty()) {
                String[] payment = payments.get(random.nextInt(payments.size()));
                Stubs.Card payer = cards.stream().filter(c -> c.code().equals(payment[0])).findFirst().orElseThrow();
                till.refund(payer, payment[1], money(random, 60).toPlainString(), "RF-" + step).then()
                        .statusCode(200);
            } else {
                refundRecharge(till, card, random, "RR-" + step);
            }
            check(till, "seed " + seed + ", " + order + ", step " + step);
        }
    }

    private static BigDecimal money(Random random, int max) {
        return BigDecimal.valueOf(1 + random.nextInt(max * 100)).movePointLeft(2).setScale(2, RoundingMode.UNNECESSARY);
    }

    private static void recharge(Till till, Stubs.Card card, Random random) {
        BigDecimal pay = money(random, 200);
        BigDecimal give = random.nextBoolean() ? money(random, 100) : BigDecimal.ZERO.setScale(2);
        StringBuilder details = new StringBuilder();
        if (random.nextBoolean() || pay.compareTo(new BigDecimal("0.02")) < 0) {
            details.append("{\"paymentType\":").append(TYPES[random.nextInt(3)]).append(",\"money\":").append(pay)
                    .append('}');
        } else {
            BigDecimal part = pay.divide(BigDecimal.valueOf(2), 2, RoundingMode.DOWN);
            details.append("{\"paymentType\":1,\"money\":").append(part).append("},{\"paymentType\":3,\"money\":")
                    .append(pay.subtract(part)).append('}');
        }
        till.recharge(till.manager, Till.serial(), card, "{\"cardCode\":\"" + card.code() + "\",\"mac\":\""
                + card.mac() + "\",\"payMoney\":" + pay + ",\"giveMoney\":" + give + ",\"details\":[" + details
                + "]}").then().statusCode(200);
    }

    /** Refunds the card's latest refundable recharge, along its original types or by one of them. */
    private static void refundRecharge(Till till, Stubs.Card card, Random random, String bill) {
        var quote = given().header("Authorization", till.cashier).queryParam("cardCode", card.code())
                .get("/api/member/recharge/getrefundoriginal").then().extract();
        if (quote.statusCode() != 200 || quote.jsonPath().get("rechargeCode") == null) {
            return;
        }
        JsonPath q = quote.jsonPath();
        String body = "{\"cardCode\":\"" + card.code() + "\",\"mac\":\"" + card.mac() + "\",\"billNo\":\"" + bill
                + "\",\"rechargeCode\":\"" + q.getString("rechargeCode") + "\"";
        if (random.nextBoolean()) {
            StringBuilder details = new StringBuilder();
            for (int i = 0; i < q.getList("details").size(); i++) {
                details.append(i == 0 ? "" : ",").append("{\"recordId\":").append(q.getLong("details[" + i
                        + "].recordId")).append(",\"money\":").append(q.getString("details[" + i + "].money"))
                        .append('}');
            }
            given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                    .body(body + ",\"details\":[" + details + "]}").post("/api/member/recharge/refundoriginal")
                    .then().statusCode(200);
        } else {
            given().header("Authorization", till.cashier).contentType(ContentType.JSON)
                    .body(body + ",\"paymentType\":" + TYPES[random.nextInt(3)] + "}")
                    .post("/api/member/recharge/refund").then().statusCode(200);
        }
    }

    private void check(Till till, String where) {
        for (Row account : rows("select * from account where tenant_id = $1", till.tenant)) {
            long id = account.getLong("id");
            assertThat(account.getBigDecimal("give_expense").signum()).as("give expense, %s", where).isNotNegative();
            assertThat(account.getBigDecimal("actual_expense").signum()).as("actual expense, %s", where)
                    .isNotNegative();
            // Bonus on the card, and bonus still held by payments (refundable as bonus), is bonus of recharges that
            // were not refunded: a refunded recharge's bonus never comes back.
            BigDecimal held = one("""
                    select coalesce(sum(p.give_expense
                        - coalesce((select sum(r.give_balance) from ledger_entry r
                                    where r.ref_entry_id = p.id and r.kind = 'PAYMENT_REFUND'), 0)
                        - coalesce((select sum(c.amount) from bonus_charge c where c.payment_entry_id = p.id), 0)), 0)
                    from ledger_entry p where p.account_id = $1 and p.kind = 'PAYMENT'""", id);
            BigDecimal liveBonus = one("""
                    select coalesce(sum(r.give_money), 0) from recharge r where r.account_id = $1
                    and not exists (select 1 from ledger_entry e where e.ref_entry_id = r.entry_id
                                    and e.kind = 'RECHARGE_REFUND' and not exists (select 1 from ledger_entry v
                                        where v.ref_entry_id = e.id and v.kind = 'RECHARGE_REFUND_REVERSED'))""", id);
            assertThat(account.getBigDecimal("give_balance").add(held)).as("bonus, %s", where)
                    .isEqualByComparingTo(liveBonus);
            // Every cent of actual spending is a payment that still stands (bonus a refund charged counting as actual).
            BigDecimal spent = one("""
                    select coalesce(sum(p.actual_expense
                        + coalesce((select sum(c.amount) from bonus_charge c where c.payment_entry_id = p.id), 0)
                        - coalesce((select sum(r.actual_balance) from ledger_entry r
                                    where r.ref_entry_id = p.id and r.kind = 'PAYMENT_REFUND'), 0)), 0)
                    from ledger_entry p where p.account_id = $1 and p.kind = 'PAYMENT'""", id);
            assertThat(account.getBigDecimal("actual_expense")).as("actual spending, %s", where)
                    .isEqualByComparingTo(spent);
        }
        // No payment of a recharge is paid back more than came in by it.
        for (Row over : rows("""
                select rp.id, rp.money, sum(f.money) as back from recharge_payment rp
                join recharge r on r.id = rp.recharge_id
                join refund_payment f on f.recharge_payment_id = rp.id
                where r.tenant_id = $1 group by rp.id, rp.money having sum(f.money) > rp.money""", till.tenant)) {
            throw new AssertionError("payment " + over.getLong("id") + " came in with " + over.getBigDecimal("money")
                    + " and was paid back " + over.getBigDecimal("back") + ", " + where);
        }
        assertThat(one("select count(*) from refund_payment f join ledger_entry e on e.id = f.entry_id"
                + " where e.tenant_id = $1 and e.kind = 'RECHARGE_REFUND' and f.recharge_payment_id is null"
                + " and f.money <> 0", till.tenant)).as("paid back by a type it never came in by, %s", where)
                .isEqualByComparingTo("0");
    }

    private Iterable<Row> rows(String sql, long param) {
        return pool.preparedQuery(sql).execute(Tuple.of(param)).await().indefinitely();
    }

    private BigDecimal one(String sql, long param) {
        Object value = rows(sql, param).iterator().next().getValue(0);
        return new BigDecimal(value.toString());
    }
}
