package io.membercard.member.member;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.membercard.common.api.ApiException;

/**
 * What a cashier may look a member up by: a whole phone number or a whole card code, compared whole (never a part of
 * one, never a name). A keyword that can be neither (other characters than letters, digits, {@code -} and
 * {@code _}, unless it is a phone number written with spaces, dashes or +86) is refused naming {@code keyword}; one
 * that could be either but is no member's finds nobody.
 */
public record WholeKey(List<String> values) {
    private static final Pattern CARD_CODE = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final Pattern PHONE = Pattern.compile("1[3-9]\\d{9}");

    public static WholeKey of(String keyword) {
        if (keyword == null || keyword.isBlank()) {
            throw ApiException.badInput("keyword", "is required: a till finds a member by a whole phone number or "
                    + "card code, or by the card's mac");
        }
        String text = keyword.trim();
        Set<String> values = new LinkedHashSet<>();
        String phone = text.replaceAll("[\\s-]", "");
        if (phone.startsWith("+86")) {
            phone = phone.substring(3);
        }
        if (PHONE.matcher(phone).matches()) {
            values.add(phone);
        }
        if (CARD_CODE.matcher(text).matches()) {
            values.add(text);
        }
        if (values.isEmpty()) {
            throw ApiException.badInput("keyword", "must be a whole phone number or card code: a till does not "
                    + "search by a name or a part of a number");
        }
        return new WholeKey(List.copyOf(values));
    }
}
