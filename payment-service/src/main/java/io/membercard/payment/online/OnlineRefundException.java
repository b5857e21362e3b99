package io.membercard.payment.online;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;

/** The channel refused the refund (702), or its answer is unknown (703); either way the card was not changed. */
public class OnlineRefundException extends ApiException {
    private static final long serialVersionUID = 1L;

    public OnlineRefundException(StatusCode status, String message) {
        super(status, message);
    }

    public static OnlineRefundException refused(String channel, String why) {
        return new OnlineRefundException(StatusCode.PAYMENT_CONFIRM_FAILED,
                channel + " refused the refund (" + why + "); nothing was changed");
    }

    public static OnlineRefundException unknown(String channel, String why) {
        return new OnlineRefundException(StatusCode.PAYMENT_STATE_UNKNOWN, channel + " did not confirm the refund ("
                + why + "); nothing was changed on the card: retry with the same billNo");
    }
}
