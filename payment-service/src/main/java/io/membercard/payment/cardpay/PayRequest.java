package io.membercard.payment.cardpay;

import java.math.BigDecimal;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.membercard.common.money.MoneyAmount;

/**
 * A card payment (S1-22) or its refund (S1-23): {@code code} is the bill number (单号) of the payment. A refund's
 * {@code id} is the till's own number for that refund (it tells two refunds of the same amount apart, and makes a
 * retry of one safe); a payment ignores it, as it ignores the legacy {@code userId}.
 */
public record PayRequest(
        @NotBlank @Size(max = 32) String cardCode,
        @NotBlank @Size(max = 64) String mac,
        @NotNull @MoneyAmount BigDecimal money,
        @NotBlank @Size(max = 64) @Pattern(regexp = "[0-9A-Za-z_.:-]+", message = "must be letters, digits, '-', '_', '.' or ':'") String code,
        @Size(max = 200) String remark,
        @jakarta.validation.constraints.PositiveOrZero Long id) {
}
