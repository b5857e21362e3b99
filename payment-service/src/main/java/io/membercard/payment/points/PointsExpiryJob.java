package io.membercard.payment.points;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.security.Operator;
import io.membercard.payment.account.AccountLedger;
import io.membercard.payment.account.AccountRef;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Expires due points of accounts nobody touches (every change expires its account's due points first). Each
 * account is expired through the ledger like any other change: under its lock, as a {@code POINTS_EXPIRED} entry.
 */
@ApplicationScoped
public class PointsExpiryJob {
    private static final Logger LOG = Logger.getLogger(PointsExpiryJob.class);
    private static final int BATCH = 200;

    private final Pool pool;
    private final AccountLedger ledger;

    public PointsExpiryJob(Pool pool, AccountLedger ledger) {
        this.pool = pool;
        this.ledger = ledger;
    }

    @Scheduled(every = "${membercard.payment.points-expiry-every:60s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return expireDue().replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("points expiry round failed: %s", e.getMessage());
            return null;
        });
    }

    /** Expires the due points of up to {@value #BATCH} accounts; answers how many accounts it touched. */
    public Uni<Integer> expireDue() {
        return pool.preparedQuery("""
                select distinct a.tenant_id, a.card_id, a.card_code from points_lot l
                join account a on a.id = l.account_id
                where l.remaining > 0 and l.expires_at <= now() limit $1""")
                .execute(Tuple.of(BATCH))
                .flatMap(rows -> {
                    List<AccountRef> due = new ArrayList<>();
                    for (Row row : rows) {
                        due.add(new AccountRef(row.getLong("tenant_id"), row.getLong("card_id"),
                                row.getString("card_code")));
                    }
                    return Multi.createFrom().iterable(due)
                            .onItem().transformToUniAndConcatenate(ref -> ledger.change(
                                    new Operator(ref.tenantId(), "system", "points expiry"), null, ref, null, null,
                                    Void.class, posting -> Uni.createFrom().voidItem()))
                            .collect().asList().map(List::size);
                });
    }
}
