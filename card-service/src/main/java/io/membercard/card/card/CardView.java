package io.membercard.card.card;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A card as S1-07 shows it, with the account figures payment-service keeps (zeros while the card's account never
 * moved). {@code mac} and {@code password} are never returned (always empty).
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

    static CardView of(CardRow card, Accounts.Figures a) {
        return new CardView(a.totalRecharge(), a.actualRecharge(), a.giveRecharge(), a.totalExpense(),
                a.actualExpense(), a.giveExpense(), a.balance(), a.actualBalance(), a.giveBalance(), a.totalPoints(),
                a.actualPoints(), a.usedPoints(), a.pointsDisabledDate(), card.writtenAt(), card.cardClassId(),
                card.cardClassName(), card.status(), CardStatus.of(card.status()).displayName(), card.sendMode(),
                card.shopId(), card.shopName(), "", card.code(), "", card.id());
    }
}
