package io.membercard.member.member;

import java.math.BigDecimal;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.membercard.member.projection.Figures;

/** sumData of a member list: the money and points figures summed over every member the filters select. */
@JsonPropertyOrder({"totalRecharge", "actualRecharge", "giveRecharge", "totalExpense", "actualExpense",
        "giveExpense", "balance", "actualBalance", "giveBalance", "totalPoints", "actualPoints", "usedPoints"})
public record MemberSums(BigDecimal totalRecharge, BigDecimal actualRecharge, BigDecimal giveRecharge,
        BigDecimal totalExpense, BigDecimal actualExpense, BigDecimal giveExpense, BigDecimal balance,
        BigDecimal actualBalance, BigDecimal giveBalance, long totalPoints, long actualPoints, long usedPoints) {

    public static MemberSums of(Figures f) {
        return new MemberSums(f.totalRecharge(), f.actualRecharge(), f.giveRecharge(), f.totalExpense(),
                f.actualExpense(), f.giveExpense(), f.balance(), f.actualBalance(), f.giveBalance(), f.totalPoints(),
                f.actualPoints(), f.usedPoints());
    }
}
