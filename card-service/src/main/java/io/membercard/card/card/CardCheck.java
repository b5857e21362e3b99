package io.membercard.card.card;

import java.time.Instant;

/**
 * A card as card-service vouches for it to other services (payment-service, member-service): identity, status, what
 * its class allows, how it was issued and to which member, and its version. Never its secret.
 */
public record CardCheck(long id, String code, int status, String statusName, long shopId, String shopName,
        long cardClassId, String cardClassName, boolean canRecharge, boolean canMemberPrice, boolean canDiscount,
        boolean canPoint, int pointsBasic, int pointsToOne, int pointsValidDays, int sendMode, Long memberId,
        Instant writtenAt, long version) {

    public static CardCheck of(CardRow card) {
        CardRow.ClassRules rules = card.rules();
        return new CardCheck(card.id(), card.code(), card.status(), CardStatus.of(card.status()).displayName(),
                card.shopId(), card.shopName(), card.cardClassId(), card.cardClassName(), rules.canRecharge(),
                rules.canMemberPrice(), rules.canDiscount(), rules.canPoint(), rules.pointsBasic(),
                rules.pointsToOne(), rules.pointsValidDays(), card.sendMode(), card.memberId(), card.writtenAt(),
                card.version());
    }
}
