package io.membercard.payment.account;

import java.util.List;

/**
 * The proof that a tenant's accounts are their ledgers: every figure of every account against the sum of its
 * entries, the version against the number of entries, and the actual points against the open points lots.
 */
public record ReconcileReport(long tenantId, long accounts, long entries, List<Mismatch> mismatches) {

    /** One account figure that is not the sum of its ledger. */
    public record Mismatch(long accountId, String cardCode, String figure, String account, String ledger) {
    }

    public boolean balanced() {
        return mismatches.isEmpty();
    }
}
