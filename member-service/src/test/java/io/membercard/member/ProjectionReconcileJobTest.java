package io.membercard.member;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.membercard.common.testing.AuthTestResource;
import io.membercard.member.projection.ProjectionReconcileJob;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;

/**
 * The scheduled reconciliation of the account figures' copy holds its lease for seconds at a time, renewing it page
 * by page: a member-service killed mid-pass keeps the restarted one from reconciling for that long, not for the
 * length of a whole pass.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServices.class)
class ProjectionReconcileJobTest {
    private final Pool pool;
    private final ProjectionReconcileJob job;

    ProjectionReconcileJobTest(Pool pool, ProjectionReconcileJob job) {
        this.pool = pool;
        this.job = job;
    }

    @BeforeEach
    void answers() {
        OtherServices.reset();
    }

    private Double leaseHeldForSeconds() {
        RowSet<io.vertx.mutiny.sqlclient.Row> rows = pool.query("""
                select extract(epoch from leased_until - now())::float8 as held from projection_reconcile_state
                where id = 1 and leased_until > now()""").execute().await().indefinitely();
        return rows.iterator().hasNext() ? rows.iterator().next().getDouble("held") : null;
    }

    @Test
    void aPassHoldsItsLeaseForSecondsAndGivesItBack() throws Exception {
        Members t = new Members();
        t.account(t.create("Slow", Members.phone()), 1, "10.00", "0.00", 0, null);
        // payment-service answers the pass's first page late: the pass is under way, holding its lease.
        OtherServices.wiremock().register(get(urlPathEqualTo("/internal/service/accounts/page")).atPriority(1)
                .inScenario("late").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("answered")
                .willReturn(okJson("[]").withFixedDelay(3_000)));
        CompletableFuture<?> pass = job.pass().subscribeAsCompletionStage().toCompletableFuture();
        Double held = null;
        for (int i = 0; i < 25 && held == null; i++) {
            Thread.sleep(100);
            held = leaseHeldForSeconds();
        }
        assertThat(held).as("the pass took the lease").isNotNull();
        assertThat(held).as("seconds a killed pass would keep the lease").isLessThanOrEqualTo(30.0);
        pass.get(60, TimeUnit.SECONDS);
        assertThat(leaseHeldForSeconds()).as("given back at the end").isNull();
    }
}
