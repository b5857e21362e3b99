package io.membercard.payment.account;

import java.math.BigDecimal;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.vertx.mutiny.sqlclient.Row;

/**
 * A card's account: its figures, each the sum of its ledger entries' deltas, and its version (the API's
 * {@code timestamp}), incremented by every change.
 */
public record Account(long id, long tenantId, long cardId, String cardCode, BigDecimal actualBalance,
        BigDecimal giveBalance, BigDecimal actualRecharge, BigDecimal giveRecharge, BigDecimal actualExpense,
        BigDecimal giveExpense, long totalPoints, long usedPoints, long expiredPoints, long version, State state) {

    static final String COLUMNS = """
            id, tenant_id, card_id, card_code, actual_balance, give_balance, actual_recharge, give_recharge,
            actual_expense, give_expense, total_points, used_points, expired_points, version, state""";

    /**
     * Whether the account takes postings: {@code OPEN}; {@code CLOSED} once its card was returned; {@code MOVED} once
     * its money went to another account (a shop migration, or the tombstone a replacement leaves on the old card).
     */
    public enum State {
        OPEN, CLOSED, MOVED
    }

    static Account of(Row row) {
        return new Account(row.getLong("id"), row.getLong("tenant_id"), row.getLong("card_id"),
                row.getString("card_code"), row.getBigDecimal("actual_balance"), row.getBigDecimal("give_balance"),
                row.getBigDecimal("actual_recharge"), row.getBigDecimal("give_recharge"),
                row.getBigDecimal("actual_expense"), row.getBigDecimal("give_expense"), row.getLong("total_points"),
                row.getLong("used_points"), row.getLong("expired_points"), row.getLong("version"),
                State.valueOf(row.getString("state")));
    }

    /** Refuses any posting unless the account is open (601: the card is dead, whatever card-service said before). */
    public Account requireOpen() {
        return switch (state) {
            case OPEN -> this;
            case CLOSED -> throw new ApiException(StatusCode.CARD_UNUSABLE,
                    "card " + cardCode + " was returned: its account is closed");
            case MOVED -> throw new ApiException(StatusCode.CARD_UNUSABLE,
                    "card " + cardCode + " was replaced or moved: its money is on another card");
        };
    }

    public BigDecimal balance() {
        return actualBalance.add(giveBalance);
    }

    public BigDecimal totalRecharge() {
        return actualRecharge.add(giveRecharge);
    }

    public BigDecimal totalExpense() {
        return actualExpense.add(giveExpense);
    }

    /** Points that can be spent now. */
    public long actualPoints() {
        return totalPoints - usedPoints - expiredPoints;
    }

    /** The version as the API's {@code timestamp} token. */
    public String timestamp() {
        return Long.toString(version);
    }

    /** The account after {@code delta}, one version later. */
    Account after(Delta delta) {
        return new Account(id, tenantId, cardId, cardCode, actualBalance.add(delta.actualBalance()),
                giveBalance.add(delta.giveBalance()), actualRecharge.add(delta.actualRecharge()),
                giveRecharge.add(delta.giveRecharge()), actualExpense.add(delta.actualExpense()),
                giveExpense.add(delta.giveExpense()), totalPoints + delta.totalPoints(),
                usedPoints + delta.usedPoints(), expiredPoints + delta.expiredPoints(), version + 1, state);
    }

    /** The same account serving card {@code newCardId}. */
    Account onCard(long newCardId, String newCardCode) {
        return new Account(id, tenantId, newCardId, newCardCode, actualBalance, giveBalance, actualRecharge,
                giveRecharge, actualExpense, giveExpense, totalPoints, usedPoints, expiredPoints, version, state);
    }

    /** Whether the account is open and never held anything. */
    public boolean isUnused() {
        return version == 0 && state == State.OPEN;
    }
}
