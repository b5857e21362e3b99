package io.membercard.member.projection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.db.JobLease;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Reconciles the copy of every tenant's account figures with payment-service's, by itself, every
 * {@code membercard.member.reconcile-every} (one instance at a time, by a short lease renewed page by page): missed events are caught up and
 * drifted copies logged, counted and copied again ({@link ProjectionReconcile}). A tenant that fails is logged and
 * left for the next pass; the others go on. {@code membercard_member_projection_last_pass_seconds} is when the last
 * pass ended.
 */
@ApplicationScoped
public class ProjectionReconcileJob {
    private static final Logger LOG = Logger.getLogger(ProjectionReconcileJob.class);

    private final Pool pool;
    private final ProjectionReconcile reconcile;
    private final JobLease lease;
    private final AtomicLong lastPass = new AtomicLong();

    public ProjectionReconcileJob(Pool pool, ProjectionReconcile reconcile, MeterRegistry registry) {
        this.pool = pool;
        this.lease = new JobLease(pool, "projection_reconcile_state");
        this.reconcile = reconcile;
        Gauge.builder("membercard.member.projection.last.pass", lastPass, AtomicLong::doubleValue).baseUnit("seconds")
                .description("when the last reconciliation of every tenant's account figures ended (epoch seconds)")
                .register(registry);
    }

    @Scheduled(every = "${membercard.member.reconcile-every:1h}", delayed = "2m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return pass().replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("reconciliation pass failed: %s", e.toString());
            return null;
        });
    }

    /** Reconciles every tenant that has copies; answers what each reconciliation found (empty: another ran it). */
    public Uni<List<ProjectionReconcile.Report>> pass() {
        return lease.take("id")
                .flatMap(leased -> leased.isEmpty()
                        ? Uni.createFrom().item(List.<ProjectionReconcile.Report>of())
                        : pool.query("select distinct tenant_id from account_projection order by tenant_id").execute()
                                .flatMap(rows -> {
                                    List<Long> tenants = new ArrayList<>();
                                    for (Row row : rows) {
                                        tenants.add(row.getLong(0));
                                    }
                                    return Multi.createFrom().iterable(tenants)
                                            .onItem().transformToUniAndConcatenate(tenant -> reconcile
                                                    .reconcile(tenant, lease.renew())
                                                    .onFailure(e -> !(e instanceof JobLease.Lost))
                                                    .recoverWithItem(e -> {
                                                        LOG.warnf("reconciliation of tenant %d failed, left for "
                                                                + "the next pass: %s", tenant, e.toString());
                                                        return null;
                                                    }))
                                            .filter(java.util.Objects::nonNull).collect().asList();
                                })
                                .call(() -> lease.release("last_pass_at = now()"))
                                .invoke(() -> lastPass.set(System.currentTimeMillis() / 1000)));
    }
}
