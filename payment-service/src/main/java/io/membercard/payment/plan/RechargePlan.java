package io.membercard.payment.plan;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.vertx.mutiny.sqlclient.Row;

/**
 * A recharge plan (充值方案) as S1-13 shows it, in the contract's reading: pay {@code payMoney}, get {@code money}
 * (the principal, equal to {@code payMoney}) + {@code giveMoney} (the bonus) on the card. {@code moneyModifiable}
 * lets the cashier take more than {@code payMoney} for the same bonus.
 */
@JsonPropertyOrder({"name", "money", "payMoney", "giveMoney", "startTime", "endTime", "moneyModifiable", "remark",
        "inUse", "id"})
public record RechargePlan(String name, BigDecimal money, BigDecimal payMoney, BigDecimal giveMoney,
        Instant startTime, Instant endTime, boolean moneyModifiable, String remark, boolean inUse, long id) {

    static final String COLUMNS = """
            id, name, money, pay_money, give_money, start_time, end_time, money_modifiable, remark, in_use""";

    static RechargePlan of(Row row) {
        var start = row.getOffsetDateTime("start_time");
        var end = row.getOffsetDateTime("end_time");
        return new RechargePlan(row.getString("name"), row.getBigDecimal("money"), row.getBigDecimal("pay_money"),
                row.getBigDecimal("give_money"), start == null ? null : start.toInstant(),
                end == null ? null : end.toInstant(), row.getBoolean("money_modifiable"), row.getString("remark"),
                row.getBoolean("in_use"), row.getLong("id"));
    }

    /** Whether the plan can be used at {@code now}. */
    public boolean usableAt(Instant now) {
        return inUse && (startTime == null || !now.isBefore(startTime)) && (endTime == null || now.isBefore(endTime));
    }
}
