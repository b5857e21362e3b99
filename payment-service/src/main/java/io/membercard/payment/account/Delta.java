package io.membercard.payment.account;

import java.math.BigDecimal;

import io.membercard.common.money.Money;

/**
 * One ledger entry's change to an account: a delta for each figure, and what it was (kind, bill number, the entry it
 * reverses, payment type). The factories keep the figures consistent with each other: a payment that takes from the
 * balance adds the same to the expense, a refund takes it back.
 */
public record Delta(EntryKind kind, String billNo, Long refEntryId, Integer paymentType, BigDecimal actualBalance,
        BigDecimal giveBalance, BigDecimal actualRecharge, BigDecimal giveRecharge, BigDecimal actualExpense,
        BigDecimal giveExpense, long totalPoints, long usedPoints, long expiredPoints, String remark) {

    private static final BigDecimal ZERO = Money.ZERO;

    /** Money paid in ({@code actual}) and bonus given ({@code give}). */
    public static Delta recharge(String billNo, Integer paymentType, BigDecimal actual, BigDecimal give,
            String remark) {
        return new Delta(EntryKind.RECHARGE, billNo, null, paymentType, actual, give, actual, give, ZERO, ZERO, 0, 0,
                0, remark);
    }

    /**
     * A recharge undone: {@code cash} paid back, {@code giveBack} of its unspent bonus removed, and the bonus the
     * customer already spent ({@code spentBonus}) charged to actual money instead: that much actual leaves the card
     * without being paid back, and the spending it covered counts as actual spending.
     */
    public static Delta rechargeRefund(String billNo, long rechargeEntryId, Integer paymentType, BigDecimal cash,
            BigDecimal giveBack, BigDecimal spentBonus, String remark) {
        return new Delta(EntryKind.RECHARGE_REFUND, billNo, rechargeEntryId, paymentType,
                cash.add(spentBonus).negate(), giveBack.negate(), cash.negate(), giveBack.add(spentBonus).negate(),
                spentBonus, spentBonus.negate(), 0, 0, 0, remark);
    }

    /** A payment taking {@code actual} and {@code give}, earning {@code points}. */
    public static Delta payment(String billNo, Integer paymentType, BigDecimal actual, BigDecimal give, long points,
            String remark) {
        return new Delta(EntryKind.PAYMENT, billNo, null, paymentType, actual.negate(), give.negate(), ZERO, ZERO,
                actual, give, points, 0, 0, remark);
    }

    /** Part of payment {@code paymentEntryId} given back, {@code points} of what it earned taken back. */
    public static Delta paymentRefund(String billNo, long paymentEntryId, Integer paymentType, BigDecimal actual,
            BigDecimal give, long points, String remark) {
        return new Delta(EntryKind.PAYMENT_REFUND, billNo, paymentEntryId, paymentType, actual, give, ZERO, ZERO,
                actual.negate(), give.negate(), -points, 0, 0, remark);
    }

    public static Delta pointsExpired(long points) {
        return new Delta(EntryKind.POINTS_EXPIRED, null, null, null, ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, 0, 0, points,
                "");
    }

    public static Delta giftExchange(String billNo, long points, String remark) {
        return new Delta(EntryKind.GIFT_EXCHANGE, billNo, null, null, ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, 0, points,
                0, remark);
    }

    /** Money and points brought from another system: counted as paid in ({@code actual}) and bonus given. */
    public static Delta opening(String billNo, BigDecimal actual, BigDecimal give, long points, String remark) {
        return new Delta(EntryKind.OPENING, billNo, null, null, actual, give, actual, give, ZERO, ZERO, points, 0, 0,
                remark);
    }

    /** The account now serves another card; nothing else changes. */
    public static Delta cardReplaced(String billNo, String remark) {
        return new Delta(EntryKind.CARD_REPLACED, billNo, null, null, ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, 0, 0, 0,
                remark);
    }

    /**
     * The card ends: {@code actual} is paid back by {@code paymentType} (its recharge undone), {@code give} of bonus
     * is withdrawn and {@code points} expire.
     */
    public static Delta cardReturn(String billNo, int paymentType, BigDecimal actual, BigDecimal give, long points,
            String remark) {
        return new Delta(EntryKind.CARD_RETURN, billNo, null, paymentType, actual.negate(), give.negate(),
                actual.negate(), give.negate(), ZERO, ZERO, 0, 0, points, remark);
    }

    /** Everything the account holds leaves for another tenant's account. */
    public static Delta migratedOut(String billNo, BigDecimal actual, BigDecimal give, long points, String remark) {
        return new Delta(EntryKind.MIGRATED_OUT, billNo, null, null, actual.negate(), give.negate(), actual.negate(),
                give.negate(), ZERO, ZERO, -points, 0, 0, remark);
    }

    /** What {@link #migratedOut} took from entry {@code outEntryId}, arriving in the new tenant. */
    public static Delta migratedIn(String billNo, long outEntryId, BigDecimal actual, BigDecimal give, long points,
            String remark) {
        return new Delta(EntryKind.MIGRATED_IN, billNo, outEntryId, null, actual, give, actual, give, ZERO, ZERO,
                points, 0, 0, remark);
    }

    /** The entry that undoes {@code refund} (a recharge refund whose online part was not paid back). */
    public static Delta rechargeRefundReversed(String billNo, Delta refund, long refundEntryId, String remark) {
        return new Delta(EntryKind.RECHARGE_REFUND_REVERSED, billNo, refundEntryId, refund.paymentType(),
                refund.actualBalance().negate(), refund.giveBalance().negate(), refund.actualRecharge().negate(),
                refund.giveRecharge().negate(), refund.actualExpense().negate(), refund.giveExpense().negate(),
                -refund.totalPoints(), -refund.usedPoints(), -refund.expiredPoints(), remark);
    }
}
