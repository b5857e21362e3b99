package io.membercard.payment.cardpay;

import java.math.BigDecimal;

import io.membercard.common.idempotency.IdempotencyKey;

/**
 * The serial number of a refund (S1-23, S1-25), so that a till that retries one after a timeout never refunds twice,
 * whatever it sends: the {@code Idempotency-Key} header when there is one; else the refund's own {@code id} from the
 * seed's body (S1-23); else the bill and the amount, so that the same refund of the same amount of a bill is one
 * refund. A second refund of the same amount of the same bill is told apart by its {@code id} or header.
 */
public final class RefundSerial {
    private RefundSerial() {
    }

    public static IdempotencyKey of(long tenantId, String scope, String header, Long refundId, String bill,
            BigDecimal money, Object command) {
        if (header != null) {
            return IdempotencyKey.of(tenantId, scope, header, command);
        }
        return refundId != null
                ? IdempotencyKey.of(tenantId, scope + "-id", fit(bill + "#" + refundId), command)
                : IdempotencyKey.of(tenantId, scope + "-bill", fit(bill + "#" + money.toPlainString()), command);
    }

    /** The serial as it is when it fits the record's 64 characters, else its hash. */
    private static String fit(String serial) {
        return serial.length() <= IdempotencyKey.MAX_SERIAL_LENGTH ? serial : IdempotencyKey.hashText(serial);
    }
}
