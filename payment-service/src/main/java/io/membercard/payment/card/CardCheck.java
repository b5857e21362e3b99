package io.membercard.payment.card;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;

/**
 * A card as card-service vouches for it: its identity, status and what its class allows. Only card-service knows
 * cards; payment-service asks it for every card-present operation.
 */
public record CardCheck(long id, String code, int status, String statusName, long shopId, String shopName,
        long cardClassId, String cardClassName, boolean canRecharge, boolean canMemberPrice, boolean canDiscount,
        boolean canPoint, int pointsBasic, int pointsToOne, int pointsValidDays) {

    public static final int ACTIVE = 2;
    public static final int LOST = 3;
    public static final int VOID = 4;

    /** Refuses a card that cannot move money now: lost 603, void 604, anything but active 601. */
    public CardCheck requireUsable() {
        return switch (status) {
            case ACTIVE -> this;
            case LOST -> throw new ApiException(StatusCode.CARD_LOST, "card " + code + " is reported lost");
            case VOID -> throw new ApiException(StatusCode.CARD_VOID, "card " + code + " is void");
            default -> throw new ApiException(StatusCode.CARD_UNUSABLE,
                    "card " + code + " cannot be used (" + statusName + ")");
        };
    }
}
