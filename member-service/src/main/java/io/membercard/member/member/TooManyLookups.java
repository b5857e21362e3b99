package io.membercard.member.member;

/**
 * A cashier made more member look-ups this minute than it may: answered 429 with the contract's envelope (the
 * contract has no code for it; the envelope carries 429, as HTTP does), and nothing is read.
 */
public class TooManyLookups extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long retryAfterMs;

    public TooManyLookups(int limit, long retryAfterMs) {
        super("too many member look-ups: a till may look up " + limit + " members a minute; try again in "
                + Math.max(1, (retryAfterMs + 999) / 1000) + " s", null, false, false);
        this.retryAfterMs = retryAfterMs;
    }

    /** Whole seconds until the minute's window ends. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfterMs + 999) / 1000);
    }
}
