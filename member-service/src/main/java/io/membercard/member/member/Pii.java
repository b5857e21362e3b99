package io.membercard.member.member;

import java.util.function.UnaryOperator;

/**
 * Masks personal data: phone numbers and identity card numbers never appear whole in a log line, nor in what a
 * cashier is shown.
 */
public final class Pii {
    private Pii() {
    }

    /** {@code 13800138000} becomes {@code 138****8000}. */
    public static String phone(String phone) {
        if (phone == null || phone.isEmpty()) {
            return "";
        }
        if (phone.length() < 7) {
            return "****";
        }
        return phone.substring(0, 3) + "****" + phone.substring(phone.length() - 4);
    }

    /**
     * {@code 110101199003074578} becomes {@code **************4578} (the last 4 characters only: the first ones are
     * the area, and the middle is the birthday a cashier is shown, which would let the rest be guessed).
     */
    public static String idCard(String idCard) {
        if (idCard == null || idCard.isEmpty()) {
            return "";
        }
        if (idCard.length() < 8) {
            return "****";
        }
        return "*".repeat(idCard.length() - 4) + idCard.substring(idCard.length() - 4);
    }

    /** An address as a cashier sees it: its first 6 characters (the city and district), then {@code ***}. */
    public static String address(String address) {
        if (address == null || address.isEmpty()) {
            return "";
        }
        return address.codePointCount(0, address.length()) <= 6
                ? "***"
                : address.substring(0, address.offsetByCodePoints(0, 6)) + "***";
    }

    /**
     * Whether {@code sent} is {@code stored} as {@code mask} shows it: a client that sends back the masked value it
     * was shown means "unchanged", never the masked text itself.
     */
    public static boolean isMaskOf(String sent, String stored, UnaryOperator<String> mask) {
        if (sent == null || stored == null || stored.isEmpty() || sent.indexOf('*') < 0) {
            return false;
        }
        return mask.apply(stored).equals(sent.trim().toUpperCase());
    }
}
