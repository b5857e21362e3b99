package io.membercard.payment.recharge;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** What S1-26 answers: the online channel the money went back through, and the account's version after. */
@JsonPropertyOrder({"paymentType", "timestamp"})
public record RefundResult(Integer paymentType, String timestamp) {
}
