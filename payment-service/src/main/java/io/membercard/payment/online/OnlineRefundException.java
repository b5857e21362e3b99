package io.membercard.payment.online;

import java.math.BigDecimal;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;

/**
 * An online refund that did not end paid back: not paid back by the channel (702; the recharge refund was undone, or
 * never made), or pending (703; the card holds the money until the channel's word settles it).
 */
public class OnlineRefundException extends ApiException {
    private static final long serialVersionUID = 1L;

    public OnlineRefundException(StatusCode status, String message) {
        super(status, message);
    }

    /** The channel will not pay {@code money} back: the recharge refund was undone, the card is as it was. */
    public static OnlineRefundException refused(String channel, BigDecimal money, String why) {
        return new OnlineRefundException(StatusCode.PAYMENT_CONFIRM_FAILED, channel + " did not pay the refund of "
                + money + " back (" + why + "): nothing of the refund stands, the card is as it was");
    }

    /** The channel has not confirmed yet: the card holds {@code money} meanwhile. */
    public static OnlineRefundException pending(String channel, BigDecimal money, String why) {
        return new OnlineRefundException(StatusCode.PAYMENT_STATE_UNKNOWN, channel + " has not confirmed the refund of "
                + money + " yet (" + why + "); the card holds it meanwhile: ask again with the same billNo, or it "
                + "settles by itself");
    }

    /** The channel is not set up here: nothing was changed. */
    public static OnlineRefundException notConfigured(String channel) {
        return new OnlineRefundException(StatusCode.PAYMENT_CONFIRM_FAILED,
                channel + " refunds are not set up for this platform; nothing was changed");
    }
}
