package io.membercard.payment.account;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What the reconciliation job last found of a tenant: every figure of every account against the sum of its entries,
 * the version against the number of entries, and the actual points against the open points lots. {@code accounts} and
 * {@code entries} are what its last full pass counted ({@code checkedAt}); {@code mismatches} are those of each
 * account's latest check (an account changed since the full pass is checked again within one cycle): the first
 * 1,000 in account order, {@code mismatchCount} in all.
 */
@JsonPropertyOrder({"tenantId", "accounts", "entries", "checkedAt", "lastFullPassAt", "mismatchCount", "mismatches"})
public record ReconcileReport(long tenantId, long accounts, long entries, Instant checkedAt, Instant lastFullPassAt,
        long mismatchCount, List<Mismatch> mismatches) {

    /** One account figure that is not the sum of its ledger. */
    @JsonPropertyOrder({"accountId", "cardCode", "figure", "account", "ledger", "foundAt"})
    public record Mismatch(long accountId, String cardCode, String figure, String account, String ledger,
            Instant foundAt) {
    }

    public boolean balanced() {
        return mismatches.isEmpty();
    }
}
