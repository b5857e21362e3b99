package io.membercard.member.member;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

import io.membercard.common.api.ApiException;

/**
 * What a member's personal data must look like. Refusals name the field and never echo the value (it is personal
 * data, and messages may be logged).
 */
public final class MemberRules {
    /** A mainland China mobile number. */
    private static final Pattern PHONE = Pattern.compile("1[3-9]\\d{9}");
    private static final Pattern ID_18 = Pattern.compile("\\d{17}[\\dXx]");
    private static final Pattern ID_15 = Pattern.compile("\\d{15}");
    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

    private MemberRules() {
    }

    public static String name(String field, String raw, boolean required) {
        String name = raw == null ? null : raw.trim();
        if (name == null || name.isEmpty()) {
            if (required) {
                throw ApiException.badInput(field, "is required");
            }
            return null;
        }
        if (name.length() > 32) {
            throw ApiException.badInput(field, "must be at most 32 characters");
        }
        return name;
    }

    /** A mobile number of 11 digits starting 13 to 19; spaces and dashes are ignored. */
    public static String phone(String field, String raw, boolean required) {
        String phone = raw == null ? null : raw.replaceAll("[\\s-]", "");
        if (phone == null || phone.isEmpty()) {
            if (required) {
                throw ApiException.badInput(field, "is required");
            }
            return null;
        }
        if (phone.startsWith("+86")) {
            phone = phone.substring(3);
        }
        if (!PHONE.matcher(phone).matches()) {
            throw ApiException.badInput(field, "must be a mobile number of 11 digits starting 13 to 19");
        }
        return phone;
    }

    /**
     * A resident identity card number: 18 characters with a valid check digit and birth date (GB 11643), or the old
     * 15 digits. The letter X is kept upper case.
     */
    public static String idCard(String field, String raw) {
        String id = raw == null ? null : raw.trim().toUpperCase();
        if (id == null || id.isEmpty()) {
            return null;
        }
        if (ID_15.matcher(id).matches()) {
            if (!validDate("19" + id.substring(6, 12))) {
                throw ApiException.badInput(field, "has no valid birth date");
            }
            return id;
        }
        if (!ID_18.matcher(id).matches()) {
            throw ApiException.badInput(field, "must be an identity card number of 18 characters (or 15 digits)");
        }
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (id.charAt(i) - '0') * WEIGHTS[i];
        }
        if (CHECK[sum % 11] != id.charAt(17)) {
            throw ApiException.badInput(field, "has a wrong check digit");
        }
        if (!validDate(id.substring(6, 14))) {
            throw ApiException.badInput(field, "has no valid birth date");
        }
        return id;
    }

    private static boolean validDate(String yyyymmdd) {
        try {
            LocalDate date = LocalDate.parse(yyyymmdd, java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
            return !date.isAfter(LocalDate.now()) && date.getYear() >= 1900;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** 0 female, 1 male, 2 not given (the default). */
    public static int sex(String field, Integer sex) {
        if (sex == null) {
            return 2;
        }
        if (sex < 0 || sex > 2) {
            throw ApiException.badInput(field, "must be 0 (female), 1 (male) or 2 (not given)");
        }
        return sex;
    }

    /** A birthday as {@code yyyy-MM-dd} (a time after it is ignored), {@code yyyyMMdd}, not in the future. */
    public static LocalDate birthday(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String text = raw.trim();
        LocalDate date;
        try {
            if (text.matches("\\d{8}")) {
                date = LocalDate.parse(text, java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
            } else {
                date = LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
            }
        } catch (DateTimeParseException e) {
            throw ApiException.badInput(field, "must be a date as yyyy-MM-dd");
        }
        if (date.isAfter(LocalDate.now()) || date.getYear() < 1900) {
            throw ApiException.badInput(field, "must be a date between 1900 and today");
        }
        return date;
    }

    public static String text(String field, String raw, int max) {
        if (raw == null) {
            return null;
        }
        String value = raw.trim();
        if (value.length() > max) {
            throw ApiException.badInput(field, "must be at most " + max + " characters");
        }
        return value;
    }
}
