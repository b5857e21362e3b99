package io.membercard.member.level;

import java.math.BigDecimal;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Creates ({@code id} absent or 0) or updates a level; {@code discount} 0.01 to 10 (10 = no discount). */
public record LevelSave(@Min(0) Long id, @NotBlank @Size(max = 32) String name,
        @NotNull @Min(0) @Max(1000) Integer level,
        @NotNull @DecimalMin(value = "0.01") @DecimalMax("10") @Digits(integer = 2, fraction = 2) BigDecimal discount,
        @Size(max = 200) String imagePath, Boolean inUse) {
}
