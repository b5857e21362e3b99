package io.membercard.payment.settings;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How a card payment takes from the actual (paid-in) and bonus (give) balances, as the tenant chooses:
 * in proportion to the two balances (the default), actual first, or bonus first.
 */
public enum SplitOrder {
    PROPORTIONAL, ACTUAL_FIRST, GIVE_FIRST;

    /** How much of {@code money} comes from each balance; the caller has checked the balance covers it. */
    public record Split(BigDecimal actual, BigDecimal give) {
    }

    public Split split(BigDecimal money, BigDecimal actualBalance, BigDecimal giveBalance) {
        BigDecimal give = switch (this) {
            case ACTUAL_FIRST -> money.subtract(money.min(actualBalance));
            case GIVE_FIRST -> money.min(giveBalance);
            case PROPORTIONAL -> {
                BigDecimal total = actualBalance.add(giveBalance);
                yield total.signum() == 0
                        ? BigDecimal.ZERO
                        : money.multiply(giveBalance).divide(total, 2, RoundingMode.HALF_EVEN);
            }
        };
        return clamp(money, give, actualBalance, giveBalance);
    }

    /**
     * Gives back {@code money} of a payment that took {@code takenActual} and {@code takenGive}, of which
     * {@code leftActual} and {@code leftGive} are not refunded yet: in the payment's own proportion.
     */
    public static Split refund(BigDecimal money, BigDecimal takenActual, BigDecimal takenGive, BigDecimal leftActual,
            BigDecimal leftGive) {
        BigDecimal taken = takenActual.add(takenGive);
        BigDecimal give = taken.signum() == 0
                ? BigDecimal.ZERO
                : money.multiply(takenGive).divide(taken, 2, RoundingMode.HALF_EVEN);
        return clamp(money, give, leftActual, leftGive);
    }

    /** Keeps each part within its limit (rounding may push one a cent over), so that actual + give = money. */
    private static Split clamp(BigDecimal money, BigDecimal give, BigDecimal actualLimit, BigDecimal giveLimit) {
        BigDecimal atLeast = money.subtract(actualLimit).max(BigDecimal.ZERO);
        BigDecimal clamped = give.max(atLeast).min(giveLimit).min(money).setScale(2, RoundingMode.UNNECESSARY);
        return new Split(money.subtract(clamped), clamped);
    }
}
