package io.membercard.payment.paycode;

import java.math.BigDecimal;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.membercard.common.money.MoneyAmount;

/**
 * A pay-code payment (S1-24) or its refund (S1-25): {@code orderCode} is the till's order number (the serial of
 * the payment; for a refund, the payment to refund). {@code payCode} is required to pay; a refund may omit it.
 */
public record PayCodeRequest(
        @Pattern(regexp = "[0-9]{18}", message = "must be the 18 digits of a pay code") String payCode,
        @NotBlank @Size(max = 64) @Pattern(regexp = "[0-9A-Za-z_.:-]+", message = "must be letters, digits, '-', '_', '.' or ':'") String orderCode,
        @NotNull @MoneyAmount BigDecimal money) {
}
