package io.membercard.payment.account;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.db.JobLease;
import io.membercard.payment.config.PaymentConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Proves, by itself, that every account equals its ledger. Each round (one instance at a time, by a short lease
 * renewed page by page and inside every write, so that a killed instance holds it up for seconds, not minutes, and
 * one that lost it writes nothing more) first
 * checks the accounts that got entries since the last round, then goes on with the full pass over every account by
 * id, a page at a time, for up to {@code membercard.payment.reconcile.round-budget}; the pass resumes from its
 * cursor after a restart, and the next starts {@code full-pass-every} after one ends. What each check finds replaces
 * what the account's last check found; a mismatch is logged with its tenant, account and card, counted in
 * {@code membercard_payment_reconcile_mismatches}, and never corrected: an account is a cache of its ledger and only
 * a person decides what went wrong.
 */
@ApplicationScoped
public class ReconcileJob {
    private static final Logger LOG = Logger.getLogger(ReconcileJob.class);
    private static final int PAGE = 1000;
    private static final int CHANGED_MAX = 20_000;
    /** Entries are written a few seconds at most before they commit; look back further than that. */
    private static final Duration OVERLAP = Duration.ofMinutes(1);

    private final Pool pool;
    private final ReconcileService checks;
    private final PaymentConfig.Reconcile config;
    private final JobLease lease;
    private final AtomicLong mismatchedAccounts = new AtomicLong();
    private final AtomicLong lastFullPass = new AtomicLong();
    private final Counter checked;
    /** Mismatches logged this round; past {@value #LOGGED}, the round ends with their count instead. */
    private final java.util.concurrent.atomic.AtomicInteger logged = new java.util.concurrent.atomic.AtomicInteger();
    private static final int LOGGED = 200;

    public ReconcileJob(Pool pool, ReconcileService checks, PaymentConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.lease = new JobLease(pool, "reconcile_state");
        this.checks = checks;
        this.config = config.reconcile();
        Gauge.builder("membercard.payment.reconcile.mismatches", mismatchedAccounts, AtomicLong::doubleValue)
                .description("accounts whose figures differ from their ledger at their last check").register(registry);
        Gauge.builder("membercard.payment.reconcile.last.full.pass", lastFullPass, AtomicLong::doubleValue)
                .description("when the last full pass over every account ended (epoch seconds)")
                .baseUnit("seconds").register(registry);
        this.checked = registry.counter("membercard.payment.reconcile.checked");
    }

    @Scheduled(every = "${membercard.payment.reconcile.every:30s}", delayed = "20s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return round().onFailure().recoverWithItem(e -> {
            LOG.warnf("reconcile round failed: %s", e.toString());
            return null;
        });
    }

    /** One scheduled round: the accounts changed since the last, then the full pass for up to the round's budget. */
    public Uni<Void> round() {
        return round(config.roundBudget(), false);
    }

    /** A whole pass over every account now (operators and tests), after checking the changed ones. */
    public Uni<Void> fullPass() {
        return round(null, true);
    }

    /** One round: changed accounts, then the full pass for up to {@code budget} (null: to its end). */
    private Uni<Void> round(Duration budget, boolean newPass) {
        return lease.take("""
                pass_started_at, pass_cursor, last_full_pass_at, changed_checked_to,
                (pass_started_at is null and (last_full_pass_at is null
                     or last_full_pass_at < now() - make_interval(secs => $3))) as pass_due""",
                (double) config.fullPassEvery().toSeconds())
                .flatMap(taken -> {
                    if (taken.isEmpty()) {
                        // Another round holds the lease; a full pass asked for now waits for it to end.
                        return newPass
                                ? Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(200))
                                        .flatMap(ignored -> round(budget, true))
                                : Uni.createFrom().voidItem();
                    }
                    Row state = taken.get();
                    logged.set(0);
                    boolean start = newPass || state.getBoolean("pass_due");
                    boolean running = state.getOffsetDateTime("pass_started_at") != null;
                    long cursor = start ? 0 : state.getLong("pass_cursor");
                    long deadline = budget == null ? Long.MAX_VALUE : System.nanoTime() + budget.toNanos();
                    return checkChanged(state.getOffsetDateTime("changed_checked_to").toInstant())
                            .flatMap(ignored -> start ? startPass() : Uni.createFrom().voidItem())
                            .flatMap(ignored -> start || running
                                    ? pages(cursor, deadline)
                                    : Uni.createFrom().voidItem())
                            .eventually(() -> lease.release(""))
                            .invoke(() -> {
                                if (logged.get() > LOGGED) {
                                    LOG.errorf("reconcile: %d mismatches found this round, the first %d logged; all "
                                            + "are in reconcile_mismatch", logged.get(), LOGGED);
                                }
                            });
                })
                .call(this::refreshGauges);
    }

    /** The accounts that got entries since the last round (a little before, for entries that committed late). */
    private Uni<Void> checkChanged(java.time.Instant since) {
        return pool.preparedQuery("""
                select account_id, max(created_at) as changed_at, now() as now from ledger_entry
                where created_at >= $1 group by account_id order by max(created_at) limit $2""")
                .execute(Tuple.of(since.minus(OVERLAP).atOffset(java.time.ZoneOffset.UTC), CHANGED_MAX))
                .flatMap(rows -> {
                    List<Long> changed = new ArrayList<>();
                    java.time.OffsetDateTime to = null;
                    for (Row row : rows) {
                        changed.add(row.getLong("account_id"));
                        // A round that could not take them all goes on from the last it took.
                        to = rows.rowCount() == CHANGED_MAX
                                ? row.getOffsetDateTime("changed_at")
                                : row.getOffsetDateTime("now");
                    }
                    Long[] ids = changed.toArray(new Long[0]);
                    java.time.OffsetDateTime checkedTo = to;
                    List<Long[]> chunks = new ArrayList<>();
                    for (int i = 0; i < ids.length; i += PAGE) {
                        chunks.add(java.util.Arrays.copyOfRange(ids, i, Math.min(ids.length, i + PAGE)));
                    }
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Long[] chunk : chunks) {
                        chain = chain.flatMap(ignored -> lease.renew()).flatMap(ignored -> checks
                                .checkAccounts(pool, chunk).flatMap(found -> store(found, false, null)));
                    }
                    return checkedTo == null
                            ? chain
                            : chain.flatMap(ignored -> pool.withTransaction(tx -> lease.renew(tx)
                                    .flatMap(held -> tx.preparedQuery(
                                            "update reconcile_state set changed_checked_to = $1 where id = 1")
                                            .execute(Tuple.of(checkedTo))))
                                    .replaceWithVoid());
                });
    }

    private Uni<Void> startPass() {
        return pool.withTransaction(tx -> lease.renew(tx).flatMap(held -> tx.query(
                "update reconcile_state set pass_started_at = now(), pass_cursor = 0 where id = 1").execute())
                .flatMap(ignored -> tx.query("update reconcile_tenant set pass_accounts = 0, pass_entries = 0")
                        .execute()))
                .replaceWithVoid();
    }

    /** The full pass from {@code cursor}, page by page, until it ends or the round's time is up. */
    private Uni<Void> pages(long cursor, long deadline) {
        return lease.renew().flatMap(ignored -> checks.checkPage(pool, cursor, PAGE)).flatMap(found -> {
            boolean last = found.accountIds().size() < PAGE;
            long next = found.accountIds().isEmpty() ? cursor : found.accountIds().get(found.accountIds().size() - 1);
            return store(found, true, next).flatMap(ignored -> last
                    ? endPass()
                    : System.nanoTime() < deadline ? pages(next, deadline) : Uni.createFrom().voidItem());
        });
    }

    /**
     * Replaces the checked accounts' findings with {@code found} and logs every mismatch; for a page of the full pass,
     * also adds its counts to the tenants' and moves the pass's cursor to {@code cursor}, in the same transaction.
     */
    private Uni<Void> store(ReconcileService.Checked found, boolean pass, Long cursor) {
        checked.increment(found.accountIds().size());
        for (int i = 0; i < found.mismatches().size(); i++) {
            ReconcileReport.Mismatch m = found.mismatches().get(i);
            // Each mismatch once a round up to a bound; past it, a count (the table has them all).
            if (logged.incrementAndGet() <= LOGGED) {
                LOG.errorf("reconcile: tenant %d account %d card %s: %s is %s in the account but %s in its ledger",
                        found.mismatchTenants().get(i), m.accountId(), m.cardCode(), m.figure(), m.account(),
                        m.ledger());
            }
        }
        if (found.accountIds().isEmpty() && !pass) {
            return Uni.createFrom().voidItem();
        }
        Long[] ids = found.accountIds().toArray(new Long[0]);
        List<ReconcileReport.Mismatch> ms = found.mismatches();
        return pool.withTransaction(tx -> lease.renew(tx).flatMap(held -> tx
                .preparedQuery("delete from reconcile_mismatch where account_id = any($1)")
                .execute(Tuple.of((Object) ids)))
                .flatMap(ignored -> ms.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : tx.preparedQuery(
                                """
                                        insert into reconcile_mismatch (account_id, tenant_id, card_code, figure, account_value,
                                                                        ledger_value)
                                        select * from unnest($1::bigint[], $2::bigint[], $3::varchar[], $4::varchar[], $5::varchar[],
                                                             $6::varchar[])""")
                                .execute(Tuple.of(
                                        ms.stream().map(ReconcileReport.Mismatch::accountId).toArray(Long[]::new),
                                        found.mismatchTenants().toArray(new Long[0]),
                                        ms.stream().map(ReconcileReport.Mismatch::cardCode).toArray(String[]::new),
                                        ms.stream().map(ReconcileReport.Mismatch::figure).toArray(String[]::new),
                                        ms.stream().map(ReconcileReport.Mismatch::account).toArray(String[]::new),
                                        ms.stream().map(ReconcileReport.Mismatch::ledger).toArray(String[]::new)))
                                .replaceWithVoid())
                .flatMap(ignored -> pass ? passCounts(tx, found, cursor) : Uni.createFrom().voidItem()));
    }

    private static Uni<Void> passCounts(io.vertx.mutiny.sqlclient.SqlConnection tx, ReconcileService.Checked found,
            long cursor) {
        Map<Long, long[]> byTenant = new LinkedHashMap<>();
        for (int i = 0; i < found.accountIds().size(); i++) {
            long[] counts = byTenant.computeIfAbsent(found.tenantIds().get(i), t -> new long[2]);
            counts[0]++;
            counts[1] += found.entries().get(i);
        }
        return tx.preparedQuery("""
                insert into reconcile_tenant (tenant_id, pass_accounts, pass_entries)
                select * from unnest($1::bigint[], $2::bigint[], $3::bigint[])
                on conflict (tenant_id) do update
                set pass_accounts = reconcile_tenant.pass_accounts + excluded.pass_accounts,
                    pass_entries = reconcile_tenant.pass_entries + excluded.pass_entries""")
                .execute(Tuple.of(byTenant.keySet().toArray(new Long[0]),
                        byTenant.values().stream().map(c -> c[0]).toArray(Long[]::new),
                        byTenant.values().stream().map(c -> c[1]).toArray(Long[]::new)))
                .flatMap(ignored -> tx.preparedQuery("update reconcile_state set pass_cursor = $1 where id = 1")
                        .execute(Tuple.of(cursor)))
                .replaceWithVoid();
    }

    private Uni<Void> endPass() {
        return pool.withTransaction(tx -> lease.renew(tx).flatMap(held -> tx.query("""
                update reconcile_tenant set accounts = pass_accounts, entries = pass_entries, checked_at = now(),
                       pass_accounts = 0, pass_entries = 0""").execute())
                .flatMap(ignored -> tx.query("""
                        update reconcile_state set last_full_pass_at = now(), pass_started_at = null, pass_cursor = 0
                        where id = 1""").execute()))
                .invoke(() -> LOG.info("reconcile: a full pass over every account ended"))
                .replaceWithVoid();
    }

    private Uni<Void> refreshGauges() {
        return pool.query("""
                select (select count(distinct account_id) from reconcile_mismatch) as mismatched,
                       (select extract(epoch from last_full_pass_at) from reconcile_state where id = 1) as last""")
                .execute()
                .invoke(rows -> {
                    Row row = rows.iterator().next();
                    mismatchedAccounts.set(row.getLong("mismatched"));
                    Object last = row.getValue("last");
                    lastFullPass.set(last == null ? 0 : new java.math.BigDecimal(last.toString()).longValue());
                })
                .replaceWithVoid();
    }
}
