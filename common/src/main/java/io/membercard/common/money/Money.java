package io.membercard.common.money;

import java.math.BigDecimal;
import java.math.RoundingMode;

import io.membercard.common.api.ApiException;

/**
 * Money as the contract fixes it: an exact decimal with at most 2 decimals, from 0 to 99,999,999.99, always carried
 * with scale 2. Never {@code double}; compare with {@code compareTo}.
 */
public final class Money {
    public static final BigDecimal ZERO = new BigDecimal("0.00");
    public static final BigDecimal MAX = new BigDecimal("99999999.99");

    private Money() {
    }

    /** Whether {@code value} is a valid amount: at most 2 decimals and within 0 to {@link #MAX}. */
    public static boolean isValid(BigDecimal value) {
        return value != null && value.stripTrailingZeros().scale() <= 2 && value.signum() >= 0
                && value.compareTo(MAX) <= 0;
    }

    /** The amount with scale 2, or a 400 naming {@code field}. A null stays null. */
    public static BigDecimal of(String field, BigDecimal value) {
        if (value == null) {
            return null;
        }
        if (value.stripTrailingZeros().scale() > 2) {
            throw ApiException.badInput(field, "at most 2 decimals");
        }
        if (value.signum() < 0 || value.compareTo(MAX) > 0) {
            throw ApiException.badInput(field, "must be between 0 and 99999999.99");
        }
        return value.setScale(2, RoundingMode.UNNECESSARY);
    }

    /** Like {@link #of} for a required amount. */
    public static BigDecimal required(String field, BigDecimal value) {
        if (value == null) {
            throw ApiException.badInput(field, "is required");
        }
        return of(field, value);
    }

    /** Parses a query-string amount, or a 400 naming {@code field}. */
    public static BigDecimal parse(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return of(field, new BigDecimal(raw.trim()));
        } catch (NumberFormatException e) {
            throw ApiException.badInput(field, "must be a number");
        }
    }
}
