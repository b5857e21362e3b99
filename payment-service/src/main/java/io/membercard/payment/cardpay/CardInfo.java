package io.membercard.payment.cardpay;

import java.math.BigDecimal;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What the till needs around a card payment (S1-20 to S1-23): the card, its balance, the member's discount rate
 * ({@code 1.00} is full price; a card without a member has no discount) and whether member prices apply.
 */
@JsonPropertyOrder({"cardCode", "balance", "discount", "canMemberPrice"})
public record CardInfo(String cardCode, BigDecimal balance, BigDecimal discount, boolean canMemberPrice) {
    public static final BigDecimal NO_DISCOUNT = new BigDecimal("1.00");
}
