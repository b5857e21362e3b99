package io.membercard.payment.account;

import java.time.Instant;

/** A ledger entry as written: its id, the account after it, and when. */
public record Posted(long entryId, Account after, Instant at) {
}
