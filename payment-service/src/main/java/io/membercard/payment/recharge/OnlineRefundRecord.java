package io.membercard.payment.recharge;

import java.math.BigDecimal;

import io.membercard.payment.online.OnlineRefund;
import io.vertx.mutiny.sqlclient.Row;

/**
 * The online part of a recharge refund (S1-26) and where it stands: the refund entry {@code entryId} took
 * {@code money} off the card; the channel of {@code paymentType} pays it back under {@code refundNo}.
 */
public record OnlineRefundRecord(long id, long tenantId, long accountId, long entryId, Long shopId, String billNo,
        int paymentType, long rechargePaymentId, String orderNo, String refundNo, BigDecimal money, BigDecimal total,
        State state, String channelStatus, int attempts) {

    /** PENDING until the channel's word ends it. */
    public enum State {
        PENDING, SUCCEEDED, FAILED
    }

    static final String COLUMNS = """
            id, tenant_id, account_id, entry_id, shop_id, bill_no, payment_type, recharge_payment_id, order_no,
            refund_no, money, total, state, channel_status, attempts""";

    static OnlineRefundRecord of(Row row) {
        return new OnlineRefundRecord(row.getLong("id"), row.getLong("tenant_id"), row.getLong("account_id"),
                row.getLong("entry_id"), row.getLong("shop_id"), row.getString("bill_no"),
                row.getInteger("payment_type"), row.getLong("recharge_payment_id"), row.getString("order_no"),
                row.getString("refund_no"), row.getBigDecimal("money"), row.getBigDecimal("total"),
                State.valueOf(row.getString("state")), row.getString("channel_status"), row.getInteger("attempts"));
    }

    /** What the channel is asked. */
    public OnlineRefund request() {
        return new OnlineRefund(orderNo, refundNo, money, total);
    }
}
