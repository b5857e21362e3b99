package io.membercard.payment.recharge;

import java.math.BigDecimal;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.membercard.common.money.MoneyAmount;

/**
 * A recharge refund (S1-30) or its original-route form (S1-31): recharge {@code rechargeCode} of the card is paid
 * back under the serial number {@code billNo}. {@code payMoney} and {@code giveMoney}, when sent, must be what
 * getrefund shows; S1-30 pays back by {@code paymentType}, S1-31 by {@code details} along the original types.
 */
public record RechargeRefundRequest(
        @NotBlank @Size(max = 64) @Pattern(regexp = "[0-9A-Za-z_.:-]+", message = "must be letters, digits, '-', '_', '.' or ':'") String billNo,
        @NotBlank @Size(max = 32) String cardCode,
        @NotBlank @Size(max = 64) String mac,
        @NotBlank @Size(max = 64) String rechargeCode,
        Integer paymentType,
        @MoneyAmount BigDecimal money,
        @MoneyAmount BigDecimal payMoney,
        @MoneyAmount BigDecimal giveMoney,
        @MoneyAmount BigDecimal refundMoney,
        @Size(max = 10) List<@Valid @NotNull Detail> details,
        @Size(max = 200) String remark,
        @Size(max = 32) String timestamp) {

    /** Money back to one original payment ({@code recordId}, as getrefundoriginal lists them). */
    public record Detail(@NotNull Long recordId, Integer paymentType, @NotNull @MoneyAmount BigDecimal money) {
    }
}
