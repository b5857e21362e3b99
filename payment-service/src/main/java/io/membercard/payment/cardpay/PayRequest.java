package io.membercard.payment.cardpay;

import java.math.BigDecimal;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.membercard.common.money.MoneyAmount;

/**
 * A card payment (S1-22) or its refund (S1-23): {@code code} is the bill number (单号) of the payment. The
 * legacy {@code userId} and {@code id} are accepted and ignored.
 */
public record PayRequest(
        @NotBlank @Size(max = 32) String cardCode,
        @NotBlank @Size(max = 64) String mac,
        @NotNull @MoneyAmount BigDecimal money,
        @NotBlank @Size(max = 64) @Pattern(regexp = "[0-9A-Za-z_.:-]+", message = "must be letters, digits, '-', '_', '.' or ':'") String code,
        @Size(max = 200) String remark) {
}
