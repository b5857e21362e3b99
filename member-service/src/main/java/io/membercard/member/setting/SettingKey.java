package io.membercard.member.setting;

import io.membercard.common.api.ApiException;

/** The tenant's switches (S1-15 keys). */
public enum SettingKey {
    /** 卡支付需要密码: card payments need the card password (S1-14). */
    PASSWORD_REQUIRED(1),
    /** 优先扣实际余额: card payments take paid-in money before bonus. */
    ACTUAL_FIRST(2),
    /** 优先扣赠送余额: card payments take bonus before paid-in money. */
    GIVE_FIRST(3);

    private final int key;

    SettingKey(int key) {
        this.key = key;
    }

    public int key() {
        return key;
    }

    public static SettingKey of(Integer key) {
        if (key == null) {
            throw ApiException.badInput("key", "is required");
        }
        for (SettingKey setting : values()) {
            if (setting.key == key) {
                return setting;
            }
        }
        throw ApiException.badInput("key", "must be 1 (password required), 2 (actual first) or 3 (bonus first)");
    }
}
