package io.membercard.card.card;

import io.membercard.common.api.StatusCode;

/** Card status (卡状态, key/value list S1-04). */
public enum CardStatus {
    UNWRITTEN(1, "未写卡"), ACTIVE(2, "正常"), LOST(3, "挂失"), VOID(4, "作废"), RETURNED(5, "已退卡"), REPLACED(6,
            "已换卡"), EXPIRED(7, "已过期");

    private final int code;
    private final String displayName;

    CardStatus(int code, String displayName) {
        this.code = code;
        this.displayName = displayName;
    }

    public int code() {
        return code;
    }

    public String displayName() {
        return displayName;
    }

    /** What a card in this status answers when it cannot do what was asked: 603 lost, 604 void, else 601. */
    public StatusCode refusal() {
        return switch (this) {
            case LOST -> StatusCode.CARD_LOST;
            case VOID -> StatusCode.CARD_VOID;
            default -> StatusCode.CARD_UNUSABLE;
        };
    }

    public static CardStatus of(int code) {
        for (CardStatus status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown card status " + code);
    }
}
