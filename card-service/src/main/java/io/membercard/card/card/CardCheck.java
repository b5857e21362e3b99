package io.membercard.card.card;

/**
 * A card as card-service vouches for it to other services (payment-service, member-service): identity, status, and
 * what its class allows. Never its secret.
 */
public record CardCheck(long id, String code, int status, String statusName, long shopId, String shopName,
        long cardClassId, String cardClassName, boolean canRecharge, boolean canMemberPrice, boolean canDiscount,
        boolean canPoint, int pointsBasic, int pointsToOne, int pointsValidDays) {

    static CardCheck of(CardRow card) {
        CardRow.ClassRules rules = card.rules();
        return new CardCheck(card.id(), card.code(), card.status(), CardStatus.of(card.status()).displayName(),
                card.shopId(), card.shopName(), card.cardClassId(), card.cardClassName(), rules.canRecharge(),
                rules.canMemberPrice(), rules.canDiscount(), rules.canPoint(), rules.pointsBasic(),
                rules.pointsToOne(), rules.pointsValidDays());
    }
}
