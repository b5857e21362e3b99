package io.membercard.payment.paycode;

/** A pay code for a card, and how many seconds it lives. */
public record PayCodeIssued(String payCode, String cardCode, long expiresIn) {
}
