package io.membercard.payment.recharge;

import java.math.BigDecimal;
import java.util.List;

/** A recharge with the payments it came in by, and whether it was refunded already. */
public record RechargeRecord(long id, long entryId, long accountId, String code, BigDecimal payMoney,
        BigDecimal giveMoney, boolean refunded, List<Payment> payments) {

    /** One payment type's part of the recharge. */
    public record Payment(long id, int paymentType, BigDecimal money) {
    }
}
