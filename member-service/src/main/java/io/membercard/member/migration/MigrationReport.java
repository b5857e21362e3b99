package io.membercard.member.migration;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A migration's audit record: what moved (or, for a dry run, would move), where it stands, who ran it. The money
 * figures are payment-service's: what left the old tenant and arrived in the new one, to the cent.
 */
@JsonPropertyOrder({"migrationId", "state", "fromTenantId", "toTenantId", "shopId", "shopName", "members", "cards",
        "accounts", "actualBalance", "giveBalance", "points", "conflicts", "error", "userId", "userName", "createdAt",
        "finishedAt"})
public record MigrationReport(String migrationId, String state, long fromTenantId, long toTenantId, long shopId,
        String shopName, int members, int cards, int accounts, BigDecimal actualBalance, BigDecimal giveBalance,
        long points, List<String> conflicts, String error, String userId, String userName, Instant createdAt,
        Instant finishedAt) {
}
