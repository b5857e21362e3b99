package io.membercard.card.migration;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.membercard.card.card.CardCheck;

/**
 * A shop's cards copied to another tenant (S1-39, service to service): member-service names the migration, the
 * shop, and the members' cards with the ids their members get in the new tenant.
 */
public record CardMigration(@NotBlank @Size(max = 64) String migrationId, @NotNull @Min(1) Long fromTenantId,
        @NotNull @Min(1) Long toTenantId, @NotNull @Min(0) Long shopId, @Size(max = 64) String shopName,
        Boolean dryRun, @NotNull @Size(max = 20_000) List<@NotNull @Valid Member> members) {

    /** A member's card and the member's id in the new tenant. */
    public record Member(@NotNull @Min(1) Long cardId, @NotNull @Min(1) Long memberId) {
    }

    public boolean isDryRun() {
        return Boolean.TRUE.equals(dryRun);
    }

    /** What was (or, in a dry run, would be) copied. */
    @JsonPropertyOrder({"migrationId", "dryRun", "cards", "classesCreated", "conflicts", "copies"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(String migrationId, boolean dryRun, int cards, int classesCreated, List<String> conflicts,
            List<Copy> copies) {
    }

    /** An old card and its copy. */
    public record Copy(long fromCardId, CardCheck card) {
    }
}
