package io.membercard.common.web;

import io.membercard.common.api.ApiException;

/**
 * Reads query parameters that arrive as text, so that a wrong type is a 400 naming the parameter (JAX-RS would
 * answer 404 for a query parameter it cannot convert).
 */
public final class QueryParams {
    private QueryParams() {
    }

    public static Long optionalLong(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badInput(name, "must be a whole number");
        }
    }

    public static long requiredLong(String name, String raw) {
        Long value = optionalLong(name, raw);
        if (value == null) {
            throw ApiException.badInput(name, "is required");
        }
        return value;
    }

    /** A positive id; an id of 0 or less cannot exist. */
    public static long requiredId(String name, String raw) {
        long value = requiredLong(name, raw);
        if (value < 1) {
            throw ApiException.badInput(name, "must be 1 or more");
        }
        return value;
    }

    public static Integer optionalInt(String name, String raw) {
        Long value = optionalLong(name, raw);
        if (value == null) {
            return null;
        }
        if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
            throw ApiException.badInput(name, "is out of range");
        }
        return value.intValue();
    }

    /** Accepts {@code true/false} and {@code 1/0}, as tills send both. */
    public static Boolean optionalBoolean(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        return switch (raw.trim().toLowerCase()) {
            case "true", "1" -> Boolean.TRUE;
            case "false", "0" -> Boolean.FALSE;
            default -> throw ApiException.badInput(name, "must be true, false, 1 or 0");
        };
    }

    /** A required text parameter of at most {@code maxLength} characters, trimmed. */
    public static String requiredText(String name, String raw, int maxLength) {
        String value = optionalText(name, raw, maxLength);
        if (value == null) {
            throw ApiException.badInput(name, "is required");
        }
        return value;
    }

    public static String optionalText(String name, String raw, int maxLength) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String value = raw.trim();
        if (value.length() > maxLength) {
            throw ApiException.badInput(name, "must be at most " + maxLength + " characters");
        }
        return value;
    }
}
