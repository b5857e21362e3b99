package io.membercard.card.card;

/** How a card was issued (发卡方式, key/value list S1-05). */
public enum CardSendMode {
    PHYSICAL(1), WECHAT(2), OFFLINE_BATCH(3), VIRTUAL(4);

    private final int code;

    CardSendMode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
