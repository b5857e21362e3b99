package io.membercard.card.card;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.membercard.common.money.Money;

/**
 * A card as S1-07 shows it. The account figures are zero until payment-service keeps the card's account;
 * {@code mac} and {@code password} are never returned (always empty).
 */
@JsonPropertyOrder({"totalRecharge", "actualRecharge", "giveRecharge", "totalExpense", "actualExpense",
        "giveExpense", "balance", "actualBalance", "giveBalance", "totalPoints", "actualPoints", "usedPoints",
        "pointsDisabledDate", "effectiveTime", "memberCardClassId", "memberCardClassName", "status", "statusName",
        "cardSendMode", "shopId", "shopName", "password", "code", "mac", "id"})
public record CardView(BigDecimal totalRecharge, BigDecimal actualRecharge, BigDecimal giveRecharge,
        BigDecimal totalExpense, BigDecimal actualExpense, BigDecimal giveExpense, BigDecimal balance,
        BigDecimal actualBalance, BigDecimal giveBalance, long totalPoints, long actualPoints, long usedPoints,
        Instant pointsDisabledDate, Instant effectiveTime, long memberCardClassId, String memberCardClassName,
        int status, String statusName, int cardSendMode, long shopId, String shopName, String password, String code,
        String mac, long id) {

    /** The card with an account that has never moved. */
    static CardView withoutAccount(CardRow card) {
        BigDecimal zero = Money.ZERO;
        return new CardView(zero, zero, zero, zero, zero, zero, zero, zero, zero, 0, 0, 0, null, card.writtenAt(),
                card.cardClassId(), card.cardClassName(), card.status(), CardStatus.of(card.status()).displayName(),
                card.sendMode(), card.shopId(), card.shopName(), "", card.code(), "", card.id());
    }
}
