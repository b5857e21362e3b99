package io.membercard.payment.account;

/** The card an account belongs to. */
public record AccountRef(long tenantId, long cardId, String cardCode) {
}
