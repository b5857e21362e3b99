package io.membercard.member.member;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.membercard.member.projection.Figures;

/**
 * A member as S1-00 (and every member list) shows it, with its card and the card's account figures. {@code cardMac}
 * is never returned (always empty); {@code birthday} is {@code yyyy-MM-dd 00:00:00}. Cashiers get it
 * {@link #masked()}.
 */
@JsonPropertyOrder({"cardId", "cardCode", "cardMac", "cardClassId", "cardClassName", "totalRecharge",
        "actualRecharge", "giveRecharge", "totalExpense", "actualExpense", "giveExpense", "balance", "actualBalance",
        "giveBalance", "totalPoints", "actualPoints", "usedPoints", "pointsDisabledDate", "effectiveTime",
        "cardStatus", "cardStatusName", "cardSendMode", "cardSendShopName", "name", "sex", "birthday", "phone",
        "idCard", "address", "code", "memberLevelId", "memberLevel", "memberLevelName", "memberTagIds",
        "memberTagNames", "memberTags", "id"})
public record MemberView(long cardId, String cardCode, String cardMac, long cardClassId, String cardClassName,
        BigDecimal totalRecharge, BigDecimal actualRecharge, BigDecimal giveRecharge, BigDecimal totalExpense,
        BigDecimal actualExpense, BigDecimal giveExpense, BigDecimal balance, BigDecimal actualBalance,
        BigDecimal giveBalance, long totalPoints, long actualPoints, long usedPoints, Instant pointsDisabledDate,
        Instant effectiveTime, int cardStatus, String cardStatusName, int cardSendMode, String cardSendShopName,
        String name, int sex, String birthday, String phone, String idCard, String address, String code,
        long memberLevelId, int memberLevel, String memberLevelName, List<Long> memberTagIds,
        List<String> memberTagNames, List<Tag> memberTags, long id) {

    /** A tag as the member shape nests it. */
    @JsonPropertyOrder({"name", "id"})
    public record Tag(String name, long id) {
    }

    public static MemberView of(MemberRow m, Map<Long, String> tagNames) {
        Figures f = m.figures();
        List<Long> tagIds = m.tagIds().stream().filter(tagNames::containsKey).toList();
        return new MemberView(orZero(m.cardId()), orEmpty(m.cardCode()), "", orZero(m.cardClassId()),
                orEmpty(m.cardClassName()), f.totalRecharge(), f.actualRecharge(), f.giveRecharge(), f.totalExpense(),
                f.actualExpense(), f.giveExpense(), f.balance(), f.actualBalance(), f.giveBalance(), f.totalPoints(),
                f.actualPoints(), f.usedPoints(), m.pointsDisabledAt(), m.cardWrittenAt(), m.cardStatus(),
                CardNames.status(m.cardStatus()), m.cardSendMode(), orEmpty(m.cardShopName()), m.name(), m.sex(),
                m.birthday() == null ? null : m.birthday() + " 00:00:00", orEmpty(m.phone()), orEmpty(m.idCard()),
                orEmpty(m.address()), orEmpty(m.code()), orZero(m.levelId()),
                m.levelRank() == null ? 0 : m.levelRank(), orEmpty(m.levelName()), tagIds,
                tagIds.stream().map(tagNames::get).toList(),
                tagIds.stream().map(id -> new Tag(tagNames.get(id), id)).toList(), m.id());
    }

    /** The member as a cashier sees it: phone and identity numbers and the address masked ({@link Pii}). */
    public MemberView masked() {
        return new MemberView(cardId, cardCode, cardMac, cardClassId, cardClassName, totalRecharge, actualRecharge,
                giveRecharge, totalExpense, actualExpense, giveExpense, balance, actualBalance, giveBalance,
                totalPoints, actualPoints, usedPoints, pointsDisabledDate, effectiveTime, cardStatus, cardStatusName,
                cardSendMode, cardSendShopName, name, sex, birthday, Pii.phone(phone), Pii.idCard(idCard),
                Pii.address(address),
                code, memberLevelId, memberLevel, memberLevelName, memberTagIds, memberTagNames, memberTags, id);
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
