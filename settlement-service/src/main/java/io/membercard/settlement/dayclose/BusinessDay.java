package io.membercard.settlement.dayclose;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * A business day: from the cut-off on {@code date} to the cut-off on the next date, in the platform's zone. With a
 * cut-off of 04:00, the business day 2026-12-01 runs from 04:00 on the 1st to 04:00 on the 2nd, and a sale at 01:30
 * on the 2nd belongs to it. A day is named by its start date, so it never depends on when it is computed.
 */
public record BusinessDay(LocalDate date, Instant start, Instant end) {

    public static BusinessDay of(LocalDate date, ZoneId zone, LocalTime cutOff) {
        return new BusinessDay(date, date.atTime(cutOff).atZone(zone).toInstant(),
                date.plusDays(1).atTime(cutOff).atZone(zone).toInstant());
    }

    /** The business day that holds {@code at}. */
    public static LocalDate holding(Instant at, ZoneId zone, LocalTime cutOff) {
        var local = at.atZone(zone).toLocalDateTime();
        LocalDate date = local.toLocalDate();
        return local.toLocalTime().isBefore(cutOff) ? date.minusDays(1) : date;
    }
}
