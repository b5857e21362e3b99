package io.membercard.common.time;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

import io.membercard.common.api.ApiException;

/**
 * The contract's date format, {@code yyyy-MM-dd HH:mm:ss} in the tenant's zone; query dates also take
 * {@code yyyy-MM-dd}. Dates are read from 0001-01-01 to 9999-12-31, the years the format writes with four digits
 * (clients' "from the beginning" and "until further notice" among them); {@code +999999999-12-31} and the like are
 * refused naming the field, before any arithmetic or database could fail on them.
 */
public final class Dates {
    public static final String PATTERN = "yyyy-MM-dd HH:mm:ss";
    /** Strict: a day the month does not have ({@code 2026-02-30}) is refused, never moved to the month's last day. */
    public static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);
    public static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);
    public static final int MIN_YEAR = 1;
    public static final int MAX_YEAR = 9999;

    private Dates() {
    }

    public static String format(Instant instant, ZoneId zone) {
        return instant == null ? null : DATE_TIME.format(instant.atZone(zone));
    }

    /** Reads a date-time, or a date meaning its first second. Null for a blank value; a 400 naming the field if malformed. */
    public static Instant parseStart(String field, String raw, ZoneId zone) {
        return parse(field, raw, zone, false);
    }

    /** Reads the exclusive end of a range: a date means the whole day, a date-time includes that second. */
    public static Instant parseEndExclusive(String field, String raw, ZoneId zone) {
        return parse(field, raw, zone, true);
    }

    private static Instant parse(String field, String raw, ZoneId zone, boolean endExclusive) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String value = raw.trim();
        try {
            if (value.length() == 10) {
                LocalDate date = inRange(field, LocalDate.parse(value, DATE));
                return (endExclusive ? date.plusDays(1) : date).atStartOfDay(zone).toInstant();
            }
            LocalDateTime dateTime = LocalDateTime.parse(value, DATE_TIME);
            inRange(field, dateTime.toLocalDate());
            return (endExclusive ? dateTime.plusSeconds(1) : dateTime).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badInput(field, "must be a date as yyyy-MM-dd or yyyy-MM-dd HH:mm:ss");
        }
    }

    private static LocalDate inRange(String field, LocalDate date) {
        if (date.getYear() < MIN_YEAR || date.getYear() > MAX_YEAR) {
            throw ApiException.badInput(field, "must be a date from 0001-01-01 to 9999-12-31");
        }
        return date;
    }
}
