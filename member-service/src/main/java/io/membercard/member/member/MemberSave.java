package io.membercard.member.member;

import java.util.List;

/**
 * S1-18 and S1-19's body: the member's shape as the seed gives it. Of the card, {@code cardCode} (the card to issue),
 * {@code cardMac} (writes an unwritten card, or must match a written one), {@code cardSendMode} (4: a virtual card,
 * made when {@code cardCode} is absent), {@code cardClassId} (the class of a virtual card) and
 * {@code cardSendShopName} are read; the account figures and other read-only fields are ignored. On update, an
 * absent field keeps its value.
 */
public record MemberSave(Long id, String cardCode, String cardMac, Long cardClassId, Integer cardSendMode,
        String cardSendShopName, String name, Integer sex, String birthday, String phone, String idCard,
        String address, String code, Long memberLevelId, List<Long> memberTagIds) {
}
