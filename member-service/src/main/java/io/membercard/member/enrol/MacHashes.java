package io.membercard.member.enrol;

import java.util.List;
import java.util.regex.Pattern;

import io.membercard.common.api.ApiException;

/**
 * card-service's hashes of one card secret (卡密), as its {@code /internal/cards/mac-hashes} answers them: HMAC-SHA256
 * in lower-case hex, the hash a card of the tenant written with that secret keeps first, then the same secret under
 * the salts of cards migrated into the tenant. member-service keeps a card secret only in this form.
 */
public final class MacHashes {
    /** At most this many hashes for one secret (one per tenant whose cards migrated in, and the tenant's own). */
    public static final int MAX = 64;
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    private MacHashes() {
    }

    /** {@code hashes} when they are card-service's hashes of one secret; null for none; else a 400. */
    public static List<String> check(List<String> hashes) {
        if (hashes == null || hashes.isEmpty()) {
            return null;
        }
        if (hashes.size() > MAX || !hashes.stream().allMatch(h -> h != null && HEX.matcher(h).matches())) {
            throw ApiException.badInput("macHashes", "must be card-service's hashes of the card secret (at most "
                    + MAX + ", 64 hex characters each)");
        }
        return List.copyOf(hashes);
    }
}
