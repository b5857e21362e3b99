package io.membercard.payment.points;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.security.Operator;
import io.membercard.payment.account.AccountLedger;
import io.membercard.payment.account.AccountRef;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Expires due points of accounts nobody touches (every change expires its account's due points first). Each
 * account is expired through the ledger like any other change: under its lock, as a {@code POINTS_EXPIRED} entry.
 * Rounds go through the due accounts by account id from where the last round stopped, so that accounts that cannot be
 * expired now (a card's lock held by a stuck till, say) are passed over, logged and counted, and never keep the
 * others waiting; they come round again after the rest.
 */
@ApplicationScoped
public class PointsExpiryJob {
    private static final Logger LOG = Logger.getLogger(PointsExpiryJob.class);
    private static final int BATCH = 200;

    private final Pool pool;
    private final AccountLedger ledger;
    private final Counter failures;
    /** The last account id the previous round took; the next round goes on after it (0: from the start). */
    private final AtomicLong cursor = new AtomicLong();

    public PointsExpiryJob(Pool pool, AccountLedger ledger, MeterRegistry registry) {
        this.pool = pool;
        this.ledger = ledger;
        this.failures = registry.counter("membercard.payment.points.expiry.failures");
    }

    @Scheduled(every = "${membercard.payment.points-expiry-every:60s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return expireDue().replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("points expiry round failed: %s", e.getMessage());
            return null;
        });
    }

    /** Expires the due points of up to {@value #BATCH} accounts; answers how many accounts it expired. */
    public Uni<Integer> expireDue() {
        return expireDue(BATCH);
    }

    /** Expires the due points of up to {@code batch} accounts after the last round's; answers how many it expired. */
    public Uni<Integer> expireDue(int batch) {
        long after = cursor.get();
        return pool.preparedQuery("""
                select a.id, a.tenant_id, a.card_id, a.card_code from account a
                where a.id in (select l.account_id from points_lot l
                               where l.remaining > 0 and l.expires_at <= now() and l.account_id > $1)
                order by a.id limit $2""")
                .execute(Tuple.of(after, batch))
                .flatMap(rows -> {
                    List<AccountRef> due = new ArrayList<>();
                    long last = 0;
                    for (Row row : rows) {
                        due.add(new AccountRef(row.getLong("tenant_id"), row.getLong("card_id"),
                                row.getString("card_code")));
                        last = row.getLong("id");
                    }
                    // A short round reached the end: the next starts from the first account again.
                    cursor.set(due.size() < batch ? 0 : last);
                    return Multi.createFrom().iterable(due)
                            .onItem().transformToUniAndConcatenate(ref -> ledger.change(
                                    new Operator(ref.tenantId(), "system", "points expiry"), null, ref, null, null,
                                    Void.class, posting -> Uni.createFrom().voidItem())
                                    .replaceWith(true)
                                    .onFailure().recoverWithItem(e -> {
                                        failures.increment();
                                        LOG.warnf("points expiry: tenant %d card %s skipped this round: %s",
                                                ref.tenantId(), ref.cardCode(), e.getMessage());
                                        return false;
                                    }))
                            .collect().asList()
                            .map(done -> (int) done.stream().filter(Boolean::booleanValue).count());
                });
    }
}
