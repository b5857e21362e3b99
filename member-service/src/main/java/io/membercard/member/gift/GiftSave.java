package io.membercard.member.gift;

import java.math.BigDecimal;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.membercard.common.money.MoneyAmount;

/** Creates ({@code id} absent or 0) or updates a gift. */
public record GiftSave(@Min(0) Long id, @NotBlank @Size(max = 32) String name,
        @NotNull @Min(1) @Max(100_000_000) Long points, @MoneyAmount BigDecimal price,
        @Size(max = 200) String imagePath, Boolean inUse) {
}
