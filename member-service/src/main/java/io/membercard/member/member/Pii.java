package io.membercard.member.member;

/** Masks personal data before it goes into a log line: phone numbers and id-card numbers never appear whole. */
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

    /** {@code 110101199003074578} becomes {@code 1101**********4578}. */
    public static String idCard(String idCard) {
        if (idCard == null || idCard.isEmpty()) {
            return "";
        }
        if (idCard.length() < 8) {
            return "****";
        }
        return idCard.substring(0, 4) + "*".repeat(idCard.length() - 8) + idCard.substring(idCard.length() - 4);
    }
}
