package io.membercard.payment.account;

/** What a ledger entry records. */
public enum EntryKind {
    /** 充值: money paid in (actual) and bonus given (give). */
    RECHARGE,
    /** 退充值: a recharge paid back, its bonus clawed back. */
    RECHARGE_REFUND,
    /** 消费: a card payment, from actual and bonus, earning points. */
    PAYMENT,
    /** 退款: part or all of a payment given back, points taken back in proportion. */
    PAYMENT_REFUND,
    /** 积分过期: points that outlived the card class's validity. */
    POINTS_EXPIRED,
    /** 积分兑换: points spent on a gift. */
    GIFT_EXCHANGE,
    /** 期初余额: money and points a card brings from another system (import, partner issuing). */
    OPENING,
    /** 换卡: the account moved to a replacement card; no money moves. */
    CARD_REPLACED,
    /** 退卡: the card ends; its actual balance is paid back, its bonus and points are forfeited. */
    CARD_RETURN,
    /** 迁出: the account's money and points left for an account of another tenant (shop migration). */
    MIGRATED_OUT,
    /** 迁入: money and points arrived from an account of another tenant (shop migration). */
    MIGRATED_IN,
    /**
     * 退充值撤销: a recharge refund undone, its online part not paid back by the channel: the money, the bonus and
     * what the refund charged are back as they were.
     */
    RECHARGE_REFUND_REVERSED
}
