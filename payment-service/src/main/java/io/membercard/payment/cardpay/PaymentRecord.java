package io.membercard.payment.cardpay;

import java.math.BigDecimal;

/**
 * A payment entry and what its refunds gave back so far.
 *
 * @param takenActual, takenGive what the payment took from each balance (bonus a recharge refund charged to the
 *        customer's money counting as actual)
 * @param earnedPoints the points it earned
 * @param refundedActual, refundedGive, reversedPoints what its refunds gave back and took back
 * @param byPayCode whether it was paid with a pay code (S1-24)
 */
public record PaymentRecord(long entryId, long accountId, long cardId, String cardCode, long versionAfter,
        BigDecimal takenActual, BigDecimal takenGive, long earnedPoints, BigDecimal refundedActual,
        BigDecimal refundedGive, long reversedPoints, boolean byPayCode) {

    public BigDecimal taken() {
        return takenActual.add(takenGive);
    }

    public BigDecimal leftActual() {
        return takenActual.subtract(refundedActual);
    }

    public BigDecimal leftGive() {
        return takenGive.subtract(refundedGive);
    }

    /** What can still be refunded. */
    public BigDecimal refundable() {
        return leftActual().add(leftGive());
    }
}
