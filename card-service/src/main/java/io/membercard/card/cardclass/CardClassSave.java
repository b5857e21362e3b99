package io.membercard.card.cardclass;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Creates (no {@code id}, or 0) or updates a card class. The fields are S1-08's; {@code cardTypeName} is derived
 * from {@code cardType} and ignored if sent.
 */
public record CardClassSave(
        @Min(0) Long id,
        @NotBlank @Size(max = 32) String name,
        @NotNull @Min(1) @Max(4) Integer cardType,
        Boolean canRecharge,
        Boolean canMemberPrice,
        Boolean canDiscount,
        Boolean canPoint,
        @Min(0) @Max(100000) Integer pointsBasic,
        @Min(0) @Max(100000) Integer pointsToOne,
        @Min(0) @Max(36500) Integer pointsValidDays) {

    boolean isNew() {
        return id == null || id == 0;
    }
}
