package io.membercard.payment.recharge;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Settles online refunds that are still pending (their answer was lost, late or "processing", or the service stopped
 * between committing the refund and hearing from the channel): each is asked about again with its refund number,
 * less often the longer it stays pending. Refunds are claimed for a while, so that instances share the work.
 */
@ApplicationScoped
public class OnlineRefundJob {
    private static final Logger LOG = Logger.getLogger(OnlineRefundJob.class);
    private static final int BATCH = 50;
    private static final Duration CLAIM = Duration.ofMinutes(2);

    private final Pool pool;
    private final OnlineRefundRepository refunds;
    private final OnlineRefundSettlement settlement;

    public OnlineRefundJob(Pool pool, OnlineRefundRepository refunds, OnlineRefundSettlement settlement) {
        this.pool = pool;
        this.refunds = refunds;
        this.settlement = settlement;
    }

    @Scheduled(every = "${membercard.payment.online-refund.check-every:30s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return checkDue().replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("online refund check failed: %s", e.toString());
            return null;
        });
    }

    /** Asks after up to {@value #BATCH} pending refunds that are due; answers how many it asked after. */
    public Uni<Integer> checkDue() {
        return refunds.claimDue(pool, BATCH, CLAIM).flatMap(due -> Multi.createFrom().iterable(due)
                .onItem().transformToUniAndConcatenate(refund -> settlement.settleIfPending(refund)
                        .onFailure().recoverWithItem(e -> {
                            LOG.warnf("online refund %s: check failed, retried later: %s", refund.refundNo(),
                                    e.toString());
                            return refund;
                        }))
                .collect().asList().map(List::size));
    }
}
