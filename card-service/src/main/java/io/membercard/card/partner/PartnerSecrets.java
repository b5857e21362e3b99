package io.membercard.card.partner;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.card.config.CardConfig;
import io.membercard.common.crypto.Keyring;

/**
 * Partners' secrets. A partner signs its requests with its secret (HMAC-SHA256), so the service must be able to
 * read it back: it is kept encrypted (AES-256-GCM), shown once when the partner is made, and never logged.
 * <p>
 * The encryption keys are their own ({@code membercard.card.partner-keys}), not the card secret key: each sealed
 * secret names the key that sealed it ({@code v1:<key id>:<base64>}), the first key of the list seals, and the
 * others open until {@link PartnerKeyRotation} has sealed everything again under the first. Secrets sealed before
 * keys had ids (no prefix) were sealed under a key derived from the card secret key; they are opened with it once,
 * to be sealed again.
 */
@ApplicationScoped
public class PartnerSecrets {
    private final Keyring keyring;
    private final SecretKeySpec legacy;
    private final SecureRandom random = new SecureRandom();

    public PartnerSecrets(CardConfig config) {
        this.keyring = new Keyring("membercard.card.partner-keys", config.partnerKeys());
        try {
            byte[] derived = MessageDigest.getInstance("SHA-256")
                    .digest(("partner-secrets:" + config.secretPepper()).getBytes(StandardCharsets.UTF_8));
            this.legacy = new SecretKeySpec(derived, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new secret: 32 random bytes, as 64 hex digits. */
    public String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** {@code secret} sealed under the current key. */
    public String seal(String secret) {
        return keyring.seal(secret, "");
    }

    /** Whether {@code sealed} was sealed under the current key (else it is due to be sealed again). */
    public boolean isCurrent(String sealed) {
        return keyring.isCurrent(sealed);
    }

    public String open(String sealed) {
        return sealed.startsWith(Keyring.PREFIX) ? keyring.open(sealed, "") : Keyring.open(legacy, null, sealed, "");
    }

    /** HMAC-SHA256 of {@code text} under {@code secret}, as lower-case hex. */
    public static String sign(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compares two signatures in constant time, case-insensitively. */
    public static boolean same(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.toLowerCase().getBytes(StandardCharsets.US_ASCII));
    }
}
