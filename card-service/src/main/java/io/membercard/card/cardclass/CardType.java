package io.membercard.card.cardclass;

import io.membercard.common.api.ApiException;

/** What a card class is for (卡类型). */
public enum CardType {
    /** 储值卡: holds money. */
    STORED_VALUE(1, "储值卡"),
    /** 折扣卡: gives the level's discount. */
    DISCOUNT(2, "折扣卡"),
    /** 积分卡: earns points. */
    POINTS(3, "积分卡"),
    /** 综合卡: money, discount and points. */
    COMBINED(4, "综合卡");

    private final int code;
    private final String displayName;

    CardType(int code, String displayName) {
        this.code = code;
        this.displayName = displayName;
    }

    public int code() {
        return code;
    }

    public String displayName() {
        return displayName;
    }

    public static CardType of(int code) {
        for (CardType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw ApiException.badInput("cardType", "must be 1 (stored value), 2 (discount), 3 (points) or 4 (combined)");
    }
}
