package io.membercard.card.cardclass;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A card class as S1-08 and S1-09 show it. */
@JsonPropertyOrder({"name", "cardType", "cardTypeName", "canRecharge", "canMemberPrice", "canDiscount", "canPoint",
        "pointsBasic", "pointsToOne", "pointsValidDays", "id"})
public record CardClassView(String name, int cardType, String cardTypeName, boolean canRecharge,
        boolean canMemberPrice, boolean canDiscount, boolean canPoint, int pointsBasic, int pointsToOne,
        int pointsValidDays, long id) {

    static CardClassView of(CardClass c) {
        return new CardClassView(c.name, c.cardType, CardType.of(c.cardType).displayName(), c.canRecharge,
                c.canMemberPrice, c.canDiscount, c.canPoint, c.pointsBasic, c.pointsToOne, c.pointsValidDays, c.id);
    }
}
