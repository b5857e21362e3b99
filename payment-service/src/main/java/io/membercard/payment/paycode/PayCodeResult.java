package io.membercard.payment.paycode;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** S1-24, S1-25, S1-27: how the order was paid ({@code 2}: member card) and the account's version after it. */
@JsonPropertyOrder({"paymentType", "timestamp"})
public record PayCodeResult(int paymentType, String timestamp) {
}
