package io.membercard.common.days;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A business day: from its cut-off on {@code date} to the next day's cut-off (see {@link DaySettings}). With a
 * cut-off of 04:00, the business day 2026-12-01 runs from 04:00 on the 1st to 04:00 on the 2nd, and a sale at 01:30
 * on the 2nd belongs to it. A day is named by its start date, so it never depends on when it is computed.
 */
public record BusinessDay(LocalDate date, Instant start, Instant end) {
}
