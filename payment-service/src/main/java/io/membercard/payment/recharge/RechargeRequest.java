package io.membercard.payment.recharge;

import java.math.BigDecimal;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.membercard.common.money.MoneyAmount;

/**
 * A recharge (S1-28): the customer pays {@code payMoney}, split by payment type in {@code details}, and gets
 * {@code giveMoney} of bonus (fixed by {@code planId}'s plan, or given by a manager). {@code money}, when sent, is
 * pay + give. The serial number is the {@code Idempotency-Key} header (the seed's body has none); it becomes the
 * recharge's {@code rechargeCode}.
 */
public record RechargeRequest(
        @NotBlank @Size(max = 32) String cardCode,
        @NotBlank @Size(max = 64) String mac,
        @MoneyAmount BigDecimal money,
        @NotNull @MoneyAmount BigDecimal payMoney,
        @MoneyAmount BigDecimal giveMoney,
        @NotNull @Size(min = 1, max = 10) List<@Valid @NotNull Detail> details,
        @Min(1) Long planId,
        @Size(max = 200) String remark,
        @Size(max = 32) String timestamp) {

    /** Part of the payment, by payment type. */
    public record Detail(@NotNull Integer paymentType, @NotNull @MoneyAmount BigDecimal money) {
    }
}
