package io.membercard.card.card;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.card.config.CardConfig;

/**
 * Hashes card MACs (卡密). A MAC is stored only as HMAC-SHA256 keyed with the service's secret and salted with the
 * tenant. The hash is deterministic within a tenant on purpose: S1-21 and S1-06 find a card by its MAC alone, which
 * a random per-card salt would make impossible. Without the secret key a stolen table cannot be brute-forced.
 */
@ApplicationScoped
public class CardSecrets {
    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;

    public CardSecrets(CardConfig config) {
        if (config.secretPepper().isBlank()) {
            throw new IllegalStateException("membercard.card.secret-pepper must be set");
        }
        this.key = new SecretKeySpec(config.secretPepper().getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The stored form of {@code mac} for a card of {@code tenantId}. */
    public String hash(long tenantId, String mac) {
        try {
            Mac hmac = Mac.getInstance(ALGORITHM);
            hmac.init(key);
            hmac.update((tenantId + ":").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hmac.doFinal(mac.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether one of {@code hashes} (this service's hashes of a secret, as another service kept them) is the card's.
     * Every one is compared, in constant time: which one matched is not to be timed.
     */
    public boolean matchesAnyHash(CardRow card, List<String> hashes) {
        byte[] kept = card.macHash() == null ? null : card.macHash().getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String hash : hashes) {
            match |= kept != null && MessageDigest.isEqual(kept, hash.getBytes(StandardCharsets.US_ASCII));
        }
        return match;
    }

    /** Whether {@code mac} is the card's, compared in constant time (with the tenant that salted its hash). */
    public boolean matches(CardRow card, String mac) {
        if (card.macHash() == null || mac == null) {
            return false;
        }
        return MessageDigest.isEqual(card.macHash().getBytes(StandardCharsets.US_ASCII),
                hash(card.macSaltTenantId(), mac).getBytes(StandardCharsets.US_ASCII));
    }
}
