package io.membercard.payment.online;

import java.math.BigDecimal;

/**
 * Money to send back through an online channel: part {@code money} of the payment the till made under
 * {@code orderNo} (the recharge's code: tills charge WeChat Pay and Alipay under it), for {@code total} in all,
 * under the refund number {@code refundNo}, which belongs to that payment of that recharge: the same on every call,
 * so the channel refunds it once.
 */
public record OnlineRefund(String orderNo, String refundNo, BigDecimal money, BigDecimal total) {
}
