package io.membercard.payment.recharge;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What a recharge refund of a card would pay back (S1-16; S1-17 adds {@code details} by original payment type,
 * {@code refundMoney} and {@code timestampNow}). {@code payMoney} (and {@code refundMoney}) is the money paid back
 * to the customer, {@code giveMoney} the bonus taken back (unspent, or charged to the paid-in money when spent),
 * {@code money} all that leaves the card.
 */
@JsonPropertyOrder({"timestampNow", "refundMoney", "details", "cardCode", "mac", "paymentType", "rechargeCode",
        "money", "payMoney", "giveMoney", "remark", "timestamp", "billNo", "userId", "id"})
public record RechargeRefundView(@JsonInclude(JsonInclude.Include.NON_NULL) String timestampNow,
        @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal refundMoney,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Detail> details, String cardCode, String mac,
        Integer paymentType, String rechargeCode, BigDecimal money, BigDecimal payMoney, BigDecimal giveMoney,
        String remark, String timestamp, String billNo, Long userId, long id) {

    /** Money back along one original payment of the recharge. */
    @JsonPropertyOrder({"recordId", "paymentType", "paymentTypeName", "money", "id"})
    public record Detail(long recordId, int paymentType, String paymentTypeName, BigDecimal money, long id) {
    }
}
