package io.membercard.settlement.dayclose;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

import io.membercard.common.money.Money;

/**
 * A day in {@code getlist}: its newest close's status and version and, once closed, the day's grand total (the
 * change of the stored value the customers hold) and how many entries it had.
 */
public record DayListItem(Long shopId, String date, int status, int version, Instant closedAt, long entries,
        BigDecimal money, BigDecimal actualMoney, BigDecimal giveMoney, Boolean checksPassed) {

    static DayListItem of(CloseRow close, JsonNode report) {
        JsonNode grand = report == null ? null : report.path("totals").path("grand");
        return new DayListItem(close.shopId(), close.date().toString(), close.status().code(), close.version(),
                close.closedAt(), report == null ? 0 : report.path("entries").asLong(), money(grand, "money"),
                money(grand, "actualMoney"), money(grand, "giveMoney"),
                report == null ? null : DayReport.passed(report));
    }

    private static BigDecimal money(JsonNode grand, String field) {
        return grand == null || !grand.path(field).isNumber() ? Money.ZERO : grand.path(field).decimalValue();
    }

    /** The list's sums over every day it holds (not only the page). */
    public record Sums(long entries, BigDecimal money, BigDecimal actualMoney, BigDecimal giveMoney) {
    }
}
