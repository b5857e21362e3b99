package io.membercard.common.limits;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;

/**
 * A request over one of the tenant's limits: answered HTTP 429 with the contract's envelope ({@code status} 429,
 * the message naming the limit, what is left and when to try again) and a {@code Retry-After} header; nothing was
 * changed.
 */
public class LimitExceeded extends ApiException {
    private static final long serialVersionUID = 1L;

    private final Limit limit;
    private final long retryAfterSeconds;

    public LimitExceeded(Limit limit, String message, long retryAfterSeconds) {
        super(StatusCode.TOO_MANY_REQUESTS, message);
        this.limit = limit;
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public Limit limit() {
        return limit;
    }

    /** Whole seconds until trying again can succeed (the {@code Retry-After} header). */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
