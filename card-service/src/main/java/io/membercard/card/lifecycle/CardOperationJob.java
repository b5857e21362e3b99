package io.membercard.card.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Finishes replacements and returns whose account change was left unconfirmed (payment-service timed out or was
 * down): asks payment-service again with the same operation id until its answer decides.
 */
@ApplicationScoped
public class CardOperationJob {
    private static final Logger LOG = Logger.getLogger(CardOperationJob.class);

    private final CardOperations operations;

    public CardOperationJob(CardOperations operations) {
        this.operations = operations;
    }

    @Scheduled(every = "${membercard.card.operations-every:5s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return operations.driveDue().replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("card operations round failed: %s", e.getMessage());
            return null;
        });
    }
}
