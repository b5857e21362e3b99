package io.membercard.card.partner;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.card.config.CardConfig;

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
    private static final int IV_BYTES = 12;
    private static final String PREFIX = "v1:";
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    private final String current;
    private final SecretKeySpec legacy;
    private final SecureRandom random = new SecureRandom();

    public PartnerSecrets(CardConfig config) {
        for (String entry : config.partnerKeys().split(",")) {
            String[] parts = entry.trim().split(":", 2);
            if (parts.length != 2 || !parts[0].matches("[A-Za-z0-9_-]{1,16}")) {
                throw new IllegalStateException("membercard.card.partner-keys: each key is id:base64");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(parts[1].trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("membercard.card.partner-keys: key " + parts[0] + " is not base64");
            }
            if (key.length != 32) {
                throw new IllegalStateException("membercard.card.partner-keys: key " + parts[0]
                        + " must be 32 bytes");
            }
            keys.put(parts[0], new SecretKeySpec(key, "AES"));
        }
        this.current = keys.keySet().iterator().next();
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
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(current), new GCMParameterSpec(128, iv));
            cipher.updateAAD(current.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return PREFIX + current + ":" + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code sealed} was sealed under the current key (else it is due to be sealed again). */
    public boolean isCurrent(String sealed) {
        return sealed.startsWith(PREFIX + current + ":");
    }

    public String open(String sealed) {
        SecretKeySpec key;
        String keyId = null;
        String body;
        if (sealed.startsWith(PREFIX)) {
            String[] parts = sealed.substring(PREFIX.length()).split(":", 2);
            keyId = parts[0];
            key = keys.get(keyId);
            if (key == null || parts.length != 2) {
                throw new IllegalStateException("a partner secret was sealed under key '" + keyId
                        + "', which membercard.card.partner-keys no longer lists");
            }
            body = parts[1];
        } else {
            key = legacy;
            body = sealed;
        }
        try {
            byte[] all = Base64.getDecoder().decode(body);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, IV_BYTES));
            if (keyId != null) {
                cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
            }
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("a partner secret cannot be read under key '"
                    + (keyId == null ? "legacy" : keyId) + "'", e);
        }
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
