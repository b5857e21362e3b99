package io.membercard.settlement.dayclose;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a shop's day stands ({@code getstatus}, and what {@code dayclose} answers): {@code status} 901 not closed,
 * 902 closing ({@code progress} says how far), 903 interrupted (its runner died; a POST resumes it), 904 closed, 905
 * closed but entries of the day were posted after the close ({@code difference}). {@code checksPassed} says whether
 * the report's checks all passed.
 */
public record DayStatus(Long shopId, String date, int status, Integer version, Instant closedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Difference difference, String progress,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean checksPassed) {

    /**
     * The entries of the day posted after its close, by cell and one by one (the first 100), with their count. A
     * pay-code payment is in the payment cell here; the re-close's report puts it in its own.
     */
    public record Difference(long count, List<Cell> cells, List<Entry> entries) {
    }

    /** The change of one cell: the sums of the entries that came after the close. */
    public record Cell(String operation, Integer paymentType, long count, BigDecimal money, BigDecimal actualMoney,
            BigDecimal giveMoney) {
    }

    /** One entry that came after the close. */
    public record Entry(long entryId, String kind, String operation, String billNo, String cardCode,
            Integer paymentType, BigDecimal money, BigDecimal actualMoney, BigDecimal giveMoney, Instant createdAt) {
    }
}
