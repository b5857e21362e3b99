package io.membercard.member.migration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * S1-39's body: the shop {@code shopId} of tenant {@code tenantIdByMemberExport} moves to tenant
 * {@code tenantIdByMemberImport}, named {@code shopName} there. {@code dryRun} (an addition) only reports what would
 * move.
 */
public record MigrationRequest(@NotNull @Min(1) Long tenantIdByMemberExport,
        @NotNull @Min(1) Long tenantIdByMemberImport, @NotNull @Min(1) Long shopId, @Size(max = 64) String shopName,
        Boolean dryRun) {
}
