package io.membercard.payment.account;

import java.math.BigDecimal;
import java.time.Instant;

import io.membercard.common.money.Money;

/** A card's account figures as the card reads show them (card-service S1-07, member views). */
public record AccountFigures(long cardId, BigDecimal totalRecharge, BigDecimal actualRecharge,
        BigDecimal giveRecharge, BigDecimal totalExpense, BigDecimal actualExpense, BigDecimal giveExpense,
        BigDecimal balance, BigDecimal actualBalance, BigDecimal giveBalance, long totalPoints, long actualPoints,
        long usedPoints, Instant pointsDisabledDate, String timestamp) {

    public static AccountFigures of(Account a, Instant pointsDisabledDate) {
        return new AccountFigures(a.cardId(), a.totalRecharge(), a.actualRecharge(), a.giveRecharge(),
                a.totalExpense(), a.actualExpense(), a.giveExpense(), a.balance(), a.actualBalance(), a.giveBalance(),
                a.totalPoints(), a.actualPoints(), a.usedPoints(), pointsDisabledDate, a.timestamp());
    }

    /** A card whose account never moved. */
    public static AccountFigures none(long cardId) {
        BigDecimal zero = Money.ZERO;
        return new AccountFigures(cardId, zero, zero, zero, zero, zero, zero, zero, zero, zero, 0, 0, 0, null, "0");
    }
}
