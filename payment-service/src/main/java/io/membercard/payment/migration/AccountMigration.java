package io.membercard.payment.migration;

import java.math.BigDecimal;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A shop's accounts moving to another tenant (S1-39, service to service): each card of the old tenant hands its
 * money and points to the card that replaces it in the new tenant. {@code dryRun} only counts.
 */
public record AccountMigration(@NotBlank @Size(max = 64) String migrationId, @NotNull @Min(1) Long fromTenantId,
        @NotNull @Min(1) Long toTenantId, Long shopId, @NotBlank @Size(max = 64) String userId,
        @Size(max = 64) String userName, Boolean dryRun,
        @NotNull @Size(max = MAX_CARDS) List<@NotNull @Valid Pair> cards) {

    public static final int MAX_CARDS = 20_000;

    /** A card of the old tenant and its copy in the new one. */
    public record Pair(@NotNull @Min(1) Long fromCardId, @NotNull @Min(1) Long toCardId,
            @NotBlank @Size(max = 32) String toCardCode) {
    }

    /** What moved (or, in a dry run, would move): per card and in all. */
    @JsonPropertyOrder({"migrationId", "dryRun", "accounts", "actualBalance", "giveBalance", "points", "cards"})
    public record Result(String migrationId, boolean dryRun, int accounts, BigDecimal actualBalance,
            BigDecimal giveBalance, long points, List<Moved> cards) {
    }

    @JsonPropertyOrder({"fromCardId", "toCardId", "actualBalance", "giveBalance", "points"})
    public record Moved(long fromCardId, long toCardId, BigDecimal actualBalance, BigDecimal giveBalance,
            long points) {
    }

    /** Whether only to count; absent means a real migration. */
    public boolean isDryRun() {
        return Boolean.TRUE.equals(dryRun);
    }
}
