package io.membercard.payment;

import io.membercard.payment.account.ReconcileJob;
import io.quarkus.arc.Arc;

/** Runs the reconciliation job's full pass now, so that the reconcile endpoint reports the accounts as they are. */
public final class Reconciliation {
    private Reconciliation() {
    }

    public static void fullPass() {
        Arc.container().instance(ReconcileJob.class).get().fullPass().await().indefinitely();
    }
}
