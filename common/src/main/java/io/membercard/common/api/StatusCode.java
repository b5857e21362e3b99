package io.membercard.common.api;

/**
 * Every status an endpoint can answer, with the HTTP status it travels with.
 * <p>
 * The numbers are the seeds' list plus the contract's additions. Business codes (6xx to 10xx) travel with HTTP
 * 200, as POS clients expect; the HTTP-like codes travel with the same HTTP status.
 */
public enum StatusCode {
    OK(200, 200, ""), BAD_REQUEST(400, 400, "invalid input"), UNAUTHORIZED(401, 401,
            "authentication required"), FORBIDDEN(403, 403, "not allowed for this user"), NOT_FOUND(404, 404,
                    "not found"), METHOD_NOT_ALLOWED(405, 405, "method not allowed"), CONFLICT(409, 409,
                            "the record changed; read it again and retry"),
    /** Over a rate or quota (the contract has no code for it: the envelope carries HTTP's 429). */
    TOO_MANY_REQUESTS(429, 429, "too many requests; try again later"), INTERNAL(500, 500, "internal error"),
    /** 卡不可用 */
    CARD_UNUSABLE(601, 200, "card unusable"),
    /** 卡不存在 (also a wrong mac) */
    CARD_NOT_FOUND(602, 200, "card not found"),
    /** 卡挂失 */
    CARD_LOST(603, 200, "card reported lost"),
    /** 卡作废 */
    CARD_VOID(604, 200, "card void"),
    /** 卡余额不足 */
    BALANCE_TOO_LOW(605, 200, "balance too low"),
    /** 卡付款码超时 */
    CARD_PAY_CODE_EXPIRED(606, 200, "card pay code expired"),
    /** 积分不足 */
    POINTS_TOO_LOW(607, 200, "points too low"),
    /** 礼品不可用 */
    GIFT_UNAVAILABLE(608, 200, "gift unavailable"),
    /** 支付成功 */
    PAYMENT_SUCCEEDED(701, 200, "payment succeeded"),
    /** 支付确认失败 */
    PAYMENT_CONFIRM_FAILED(702, 200, "payment confirmation failed"),
    /** 支付状态未知 */
    PAYMENT_STATE_UNKNOWN(703, 200, "payment state unknown"),
    /** 付款码超时 */
    PAY_CODE_EXPIRED(704, 200, "pay code expired"),
    /** 流水号重复 */
    DUPLICATE_SERIAL(801, 200, "serial number already used with a different request"), ORIGINAL_BILL_NOT_FOUND(802, 200,
            "original bill not found"), REFUND_TOO_LARGE(803, 200, "refund larger than what is refundable"),
    /** 未日结 */
    DAY_NOT_CLOSED(901, 200, "day not closed"),
    /** 日结进行中 */
    DAY_CLOSING(902, 200, "day close in progress"),
    /** 日结中断 */
    DAY_CLOSE_INTERRUPTED(903, 200, "day close interrupted"),
    /** 日结完成 */
    DAY_CLOSED(904, 200, "day closed"),
    /** 日结金额发生变化 */
    DAY_CLOSE_CHANGED(905, 200, "day closed, but the ledger changed since"),
    /** 无法购买 */
    CANNOT_PURCHASE(1001, 200, "cannot purchase"),
    /** 已售罄 */
    SOLD_OUT(1002, 200, "sold out"),
    /** 支付超时 */
    PURCHASE_TIMEOUT(1003, 200, "payment timed out");

    private final int code;
    private final int httpStatus;
    private final String defaultMessage;

    StatusCode(int code, int httpStatus, String defaultMessage) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.defaultMessage = defaultMessage;
    }

    /** The number sent in the envelope's {@code status}. */
    public int code() {
        return code;
    }

    /** The HTTP status the envelope travels with. */
    public int httpStatus() {
        return httpStatus;
    }

    public String defaultMessage() {
        return defaultMessage;
    }

    /** The status with number {@code code}, or {@link #INTERNAL} for a number the contract does not know. */
    public static StatusCode of(int code) {
        for (StatusCode status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        return INTERNAL;
    }
}
