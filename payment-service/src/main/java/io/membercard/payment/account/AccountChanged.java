package io.membercard.payment.account;

import java.math.BigDecimal;
import java.time.Instant;

import io.membercard.common.security.Operator;

/**
 * The event every balance or points change publishes ({@code account.changed}): the account's figures after the
 * change (receivers keep the highest {@code version}) and the entry that made it. {@code previousCardId} is set
 * when the change moved the account to another card (a replacement): the old card keeps only a tombstone.
 */
public record AccountChanged(long accountId, long cardId, String cardCode, long version, BigDecimal actualBalance,
        BigDecimal giveBalance, BigDecimal actualRecharge, BigDecimal giveRecharge, BigDecimal actualExpense,
        BigDecimal giveExpense, long totalPoints, long usedPoints, long expiredPoints, long actualPoints,
        Long previousCardId, Entry entry) {

    public static final String TYPE = "account.changed";

    /** The ledger entry behind the change. */
    public record Entry(long id, String kind, String billNo, Long refEntryId, Integer paymentType, Long shopId,
            BigDecimal actualBalance, BigDecimal giveBalance, BigDecimal actualRecharge, BigDecimal giveRecharge,
            BigDecimal actualExpense, BigDecimal giveExpense, long totalPoints, long usedPoints, long expiredPoints,
            String userId, String userName, Instant createdAt) {
    }

    static AccountChanged of(Posted posted, Delta delta, Long shopId, Operator operator, Long previousCardId) {
        Account a = posted.after();
        return new AccountChanged(a.id(), a.cardId(), a.cardCode(), a.version(), a.actualBalance(), a.giveBalance(),
                a.actualRecharge(), a.giveRecharge(), a.actualExpense(), a.giveExpense(), a.totalPoints(),
                a.usedPoints(), a.expiredPoints(), a.actualPoints(), previousCardId,
                new Entry(posted.entryId(), delta.kind().name(), delta.billNo(), delta.refEntryId(),
                        delta.paymentType(), shopId, delta.actualBalance(), delta.giveBalance(),
                        delta.actualRecharge(), delta.giveRecharge(), delta.actualExpense(), delta.giveExpense(),
                        delta.totalPoints(), delta.usedPoints(), delta.expiredPoints(), operator.userId(),
                        operator.userName(), posted.at()));
    }
}
