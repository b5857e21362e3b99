package io.membercard.member.projection;

import java.math.BigDecimal;

import com.fasterxml.jackson.databind.JsonNode;

import io.membercard.common.money.Money;
import io.vertx.mutiny.sqlclient.Row;

/** A card's account figures (or a sum of them): what member views show and list sums add up. */
public record Figures(BigDecimal actualBalance, BigDecimal giveBalance, BigDecimal actualRecharge,
        BigDecimal giveRecharge, BigDecimal actualExpense, BigDecimal giveExpense, long totalPoints, long usedPoints,
        long actualPoints) {

    public static final Figures ZERO = new Figures(Money.ZERO, Money.ZERO, Money.ZERO, Money.ZERO, Money.ZERO,
            Money.ZERO, 0, 0, 0);

    /** The columns {@link #of(Row)} reads (of account_projection or member_sums), with a table alias. */
    public static String columns(String alias) {
        return String.join(", ", alias + ".actual_balance", alias + ".give_balance", alias + ".actual_recharge",
                alias + ".give_recharge", alias + ".actual_expense", alias + ".give_expense", alias + ".total_points",
                alias + ".used_points", alias + ".actual_points");
    }

    /** The figures of a row read with {@link #columns}; zero when the row had none (an outer join). */
    public static Figures of(Row row) {
        BigDecimal actual = row.getBigDecimal("actual_balance");
        if (actual == null) {
            return ZERO;
        }
        return new Figures(scaled(actual), scaled(row.getBigDecimal("give_balance")),
                scaled(row.getBigDecimal("actual_recharge")), scaled(row.getBigDecimal("give_recharge")),
                scaled(row.getBigDecimal("actual_expense")), scaled(row.getBigDecimal("give_expense")),
                row.getLong("total_points"), row.getLong("used_points"), row.getLong("actual_points"));
    }

    /** The figures an {@code account.changed} event (or payment-service's account page) carries. */
    public static Figures of(JsonNode account) {
        return new Figures(money(account, "actualBalance"), money(account, "giveBalance"),
                money(account, "actualRecharge"), money(account, "giveRecharge"), money(account, "actualExpense"),
                money(account, "giveExpense"), account.path("totalPoints").asLong(),
                account.path("usedPoints").asLong(), account.path("actualPoints").asLong());
    }

    private static BigDecimal scaled(BigDecimal value) {
        return value.setScale(2, java.math.RoundingMode.UNNECESSARY);
    }

    private static BigDecimal money(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull()
                ? Money.ZERO
                : value.decimalValue().setScale(2, java.math.RoundingMode.UNNECESSARY);
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

    public Figures minus(Figures other) {
        return new Figures(actualBalance.subtract(other.actualBalance), giveBalance.subtract(other.giveBalance),
                actualRecharge.subtract(other.actualRecharge), giveRecharge.subtract(other.giveRecharge),
                actualExpense.subtract(other.actualExpense), giveExpense.subtract(other.giveExpense),
                totalPoints - other.totalPoints, usedPoints - other.usedPoints, actualPoints - other.actualPoints);
    }

    public Figures plus(Figures other) {
        return minus(other.negate());
    }

    public Figures negate() {
        return ZERO.minus(this);
    }

    public boolean isZero() {
        return equals(ZERO) || (actualBalance.signum() == 0 && giveBalance.signum() == 0
                && actualRecharge.signum() == 0 && giveRecharge.signum() == 0 && actualExpense.signum() == 0
                && giveExpense.signum() == 0 && totalPoints == 0 && usedPoints == 0 && actualPoints == 0);
    }
}
