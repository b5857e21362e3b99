package io.membercard.card.batchorder;

import java.util.regex.Pattern;

import io.membercard.common.api.ApiException;

/**
 * The card codes of a batch order: {@code startCode}'s text before its numeric tail stays, the tail keeps its
 * width and is incremented once per card. {@code endCode} and {@code expectCount} must agree when both are given.
 *
 * @param prefix the text before the numeric tail
 * @param start the tail's number for the first card
 * @param width the tail's width in digits, kept for every card
 * @param count how many cards
 */
public record CardCodeRange(String prefix, long start, int width, int count) {
    /** Letters, digits, '-' and '_', ending in a digit. */
    private static final Pattern CODE = Pattern.compile("[0-9A-Za-z_-]*[0-9]");
    /** Longest numeric tail that is incremented; longer digit runs keep their leading digits as prefix. */
    private static final int MAX_TAIL = 18;
    public static final int MAX_CODE_LENGTH = 32;

    public static CardCodeRange of(String startCode, String endCode, Integer expectCount, int maxCount) {
        String first = checkCode("startCode", startCode);
        int tailStart = first.length();
        while (tailStart > 0 && Character.isDigit(first.charAt(tailStart - 1))
                && first.length() - tailStart < MAX_TAIL) {
            tailStart--;
        }
        String prefix = first.substring(0, tailStart);
        int width = first.length() - tailStart;
        long start = Long.parseLong(first.substring(tailStart));
        long room = pow10(width) - start;

        long count;
        if (endCode != null && !endCode.isBlank()) {
            String last = checkCode("endCode", endCode);
            if (last.length() != first.length() || !last.startsWith(prefix)) {
                throw ApiException.badInput("endCode", "must have the same length and prefix as startCode "
                        + first + " (prefix \"" + prefix + "\", then " + width + " digits)");
            }
            String lastTail = last.substring(tailStart);
            if (!lastTail.chars().allMatch(Character::isDigit)) {
                throw ApiException.badInput("endCode", "must end with " + width + " digits like startCode");
            }
            long end = Long.parseLong(lastTail);
            if (end < start) {
                throw ApiException.badInput("endCode", "must not come before startCode " + first);
            }
            count = end - start + 1;
            if (expectCount != null && expectCount != count) {
                throw ApiException.badInput("expectCount", "is " + expectCount + " but " + first + " to " + last
                        + " are " + count + " cards");
            }
        } else if (expectCount != null) {
            count = expectCount;
            if (count > room) {
                throw ApiException.badInput("expectCount", "startCode " + first + " leaves room for only " + room
                        + " cards of " + width + " digits");
            }
        } else {
            throw ApiException.badInput("expectCount", "is required unless endCode is given");
        }
        if (count < 1 || count > maxCount) {
            throw ApiException.badInput("expectCount", "must be from 1 to " + maxCount + " cards, not " + count);
        }
        return new CardCodeRange(prefix, start, width, (int) count);
    }

    /** The code of the {@code index}-th card, from 0. */
    public String codeAt(int index) {
        String digits = Long.toString(start + index);
        return prefix + "0".repeat(width - digits.length()) + digits;
    }

    public String startCode() {
        return codeAt(0);
    }

    public String endCode() {
        return codeAt(count - 1);
    }

    private static String checkCode(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            throw ApiException.badInput(field, "is required");
        }
        String code = raw.trim();
        if (code.length() > MAX_CODE_LENGTH) {
            throw ApiException.badInput(field, "must be at most " + MAX_CODE_LENGTH + " characters");
        }
        if (!CODE.matcher(code).matches()) {
            throw ApiException.badInput(field, "must be letters, digits, '-' or '_' and end with a digit");
        }
        return code;
    }

    private static long pow10(int width) {
        long result = 1;
        for (int i = 0; i < width; i++) {
            result *= 10;
        }
        return result;
    }
}
