package io.membercard.payment.recharge;

import io.membercard.common.api.ApiException;

/** How money came in or goes back (支付方式), numbered as the seeds list them. */
public enum PaymentType {
    CASH(1, "现金"), MEMBER_CARD(2, "会员卡"), WECHAT(3, "微信"), ALIPAY(4, "支付宝"), DISCOUNT(5, "优惠"), WECHAT_OFFLINE(6,
            "微信线下"), ALIPAY_OFFLINE(7, "支付宝线下"), DONGFU(8, "东付"), OTHER(9, "其他"), UNIONPAY(10, "银联");

    private final int code;
    private final String displayName;

    PaymentType(int code, String displayName) {
        this.code = code;
        this.displayName = displayName;
    }

    public int code() {
        return code;
    }

    public String displayName() {
        return displayName;
    }

    public static PaymentType of(int code) {
        for (PaymentType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown payment type " + code);
    }

    /** A type that can bring money onto a card or take it back: anything but the member card itself. */
    public static PaymentType forCardMoney(String field, Integer code) {
        if (code == null) {
            throw ApiException.badInput(field, "is required");
        }
        if (code < 1 || code > 10) {
            throw ApiException.badInput(field, "must be a payment type from 1 to 10");
        }
        if (code == MEMBER_CARD.code) {
            throw ApiException.badInput(field, "a member card cannot pay for its own recharge");
        }
        return of(code);
    }
}
