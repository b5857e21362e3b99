package io.membercard.payment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.LogCapture;
import io.membercard.common.testing.Tokens;
import io.membercard.payment.account.ReconcileJob;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The reconciliation job finds what is wrong, by itself: an account row changed behind the ledger's back is reported
 * (endpoint, metric, log) as exactly that account and figure, on the next full pass, or on the next round when the
 * account changed since; and nothing is corrected for it.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServicesStub.class)
class ReconcileTest {
    private final Pool pool;
    private final ReconcileJob job;

    ReconcileTest(Pool pool, ReconcileJob job) {
        this.pool = pool;
        this.job = job;
    }

    @BeforeEach
    void stubs() {
        Stubs.resetCardService();
        Stubs.unknownCardsByDefault();
    }

    private long accountId(Till till, Stubs.Card card) {
        return pool.preparedQuery("select id from account where tenant_id = $1 and card_id = $2")
                .execute(Tuple.of(till.tenant, card.id())).await().indefinitely().iterator().next().getLong(0);
    }

    private void sql(String sql, long accountId) {
        pool.preparedQuery(sql).execute(Tuple.of(accountId)).await().indefinitely();
    }

    private static JsonPath report(Till till) {
        return given().header("Authorization", Tokens.tenant(till.tenant, "admin").bearer())
                .get("/api/member/cardpay/reconcile").then().statusCode(200).extract().jsonPath();
    }

    private static double mismatchMetric() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("membercard_payment_reconcile_mismatches "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(-1);
    }

    @Test
    void aCorruptedAccountIsReportedAsExactlyThatAccountAndNeverCorrected() {
        LogCapture log = LogCapture.of(ReconcileJob.class);
        List<String> logged = log.messages();
        Till till = Till.newTenant();
        Stubs.Card a = Stubs.activeCard();
        Stubs.Card b = Stubs.activeCard();
        till.recharge(a, "80").then().statusCode(200);
        till.recharge(b, "20").then().statusCode(200);
        till.pay(a, "RC-1", "30").then().body("status", equalTo(200));
        long idA = accountId(till, a);
        long idB = accountId(till, b);
        try {
            sql("update account set actual_balance = actual_balance + 1 where id = $1", idA);
            job.fullPass().await().indefinitely();
            JsonPath report = report(till);
            assertThat(report.getLong("accounts")).isEqualTo(2);
            assertThat(report.getLong("entries")).isEqualTo(3);
            assertThat(report.getList("mismatches.accountId", Long.class)).containsExactly(idA);
            assertThat(report.getLong("mismatchCount")).isEqualTo(1);
            assertThat(report.getString("mismatches[0].figure")).isEqualTo("actual_balance");
            assertThat(report.getString("mismatches[0].account")).isEqualTo("51.00");
            assertThat(report.getString("mismatches[0].ledger")).isEqualTo("50.00");
            assertThat(report.getString("mismatches[0].cardCode")).isEqualTo(a.code());
            assertThat(mismatchMetric()).isGreaterThanOrEqualTo(1);
            assertThat(logged).anySatisfy(line -> assertThat(line).contains("tenant " + till.tenant + " account "
                    + idA + " card " + a.code() + ": actual_balance is 51.00 in the account but 50.00"));
            // Never corrected: the row keeps its wrong figure for a person to look at.
            assertThat(pool.preparedQuery("select actual_balance from account where id = $1").execute(Tuple.of(idA))
                    .await().indefinitely().iterator().next().getBigDecimal(0)).isEqualByComparingTo("51.00");

            // B is corrupted and then changes: the next ordinary round checks it again, without a full pass.
            sql("update account set actual_recharge = actual_recharge + 2 where id = $1", idB);
            till.pay(b, "RC-2", "5").then().body("status", equalTo(200));
            job.round().await().indefinitely();
            assertThat(report(till).getList("mismatches.accountId", Long.class)).containsExactly(idA, idB);
        } finally {
            sql("update account set actual_balance = actual_balance - 1 where id = $1", idA);
            sql("update account set actual_recharge = actual_recharge - 2 where id = $1", idB);
            log.close();
        }
        job.fullPass().await().indefinitely();
        assertThat(report(till).getList("mismatches")).isEmpty();
        assertThat(mismatchMetric()).isZero();
    }

    /**
     * A round holds the job's lease for seconds at a time, renewing it as it goes: an instance killed mid-round (the
     * lease left behind) keeps the restarted one from reconciling for at most that long, not for minutes.
     */
    @Test
    void aRoundHoldsItsLeaseForSecondsSoThatOneKilledMidRoundIsTakenOverSoon() throws Exception {
        Till till = Till.newTenant();
        till.recharge(Stubs.activeCard(), "10").then().statusCode(200);
        job.fullPass().await().indefinitely();
        // Holding the tenant's pass counts stops the next pass inside itself, with the lease taken.
        io.vertx.mutiny.sqlclient.SqlConnection holder = pool.getConnection().await().indefinitely();
        java.util.concurrent.CompletableFuture<Void> pass;
        try {
            holder.query("begin").execute().await().indefinitely();
            holder.preparedQuery("select 1 from reconcile_tenant where tenant_id = $1 for update")
                    .execute(Tuple.of(till.tenant)).await().indefinitely();
            pass = job.fullPass().subscribeAsCompletionStage().toCompletableFuture();
            Double held = null;
            for (int i = 0; i < 100 && held == null; i++) {
                Thread.sleep(100);
                var row = pool.query("""
                        select extract(epoch from leased_until - now())::float8 as held from reconcile_state
                        where id = 1 and leased_until > now()""").execute().await().indefinitely();
                held = row.iterator().hasNext() ? row.iterator().next().getDouble("held") : null;
            }
            assertThat(held).as("the pass took the lease").isNotNull();
            assertThat(held).as("seconds a killed round would keep the lease").isLessThanOrEqualTo(30.0);
            assertThat(pass).isNotDone();
        } finally {
            holder.query("rollback").execute().await().indefinitely();
            holder.close().await().indefinitely();
        }
        pass.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(pool.query("select leased_until from reconcile_state where id = 1").execute().await()
                .indefinitely().iterator().next().getValue("leased_until")).as("given back at the end").isNull();
    }

    @Test
    void onlyTheTenantsAdministratorsAndOperatorsReadIt() {
        Till till = Till.newTenant();
        given().header("Authorization", till.cashier).get("/api/member/cardpay/reconcile").then().statusCode(403);
        given().header("Authorization", till.manager).get("/api/member/cardpay/reconcile").then().statusCode(403);
        given().header("Authorization", Tokens.tenant(till.tenant + 1, "admin").bearer())
                .queryParam("tenantId", till.tenant).get("/api/member/cardpay/reconcile").then().statusCode(404);
        given().header("Authorization", Tokens.tenant(1, "platform-admin").bearer()).queryParam("tenantId", "x")
                .get("/api/member/cardpay/reconcile").then().statusCode(400);
    }
}
