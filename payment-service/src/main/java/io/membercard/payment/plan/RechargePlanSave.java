package io.membercard.payment.plan;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.membercard.common.money.MoneyAmount;

/**
 * Creates ({@code id} absent or 0) or updates a recharge plan; {@code money}, when sent, is the principal
 * ({@code payMoney}), or pay + give.
 */
public record RechargePlanSave(@Min(0) Long id, @NotBlank @Size(max = 32) String name, @MoneyAmount BigDecimal money,
        @NotNull @MoneyAmount BigDecimal payMoney, @NotNull @MoneyAmount BigDecimal giveMoney, Instant startTime,
        Instant endTime, Boolean moneyModifiable, @Size(max = 200) String remark) {
}
