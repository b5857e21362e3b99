package io.membercard.common.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Secrets a service must read back (a partner's signing secret, a tenant's provider credentials), kept sealed with
 * AES-256-GCM under keys of their own, given as {@code id:base64,id:base64} (32 bytes each). The first key seals;
 * every key listed opens what it sealed, so keys rotate by putting a new one first and sealing everything again.
 * A sealed value names its key ({@code v1:<key id>:<base64 of iv and ciphertext>}); the key id, and the
 * {@code context} the caller names (whose secret, which field), are bound as associated data, so a sealed value
 * copied to another row or field does not open.
 */
public final class Keyring {
    public static final String PREFIX = "v1:";
    private static final int IV_BYTES = 12;

    private final String property;
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    private final String current;
    private final SecureRandom random = new SecureRandom();

    /** {@code property} names the setting in errors (never its value). */
    public Keyring(String property, String spec) {
        this.property = property;
        if (spec == null || spec.isBlank()) {
            throw new IllegalStateException(property + ": at least one key is required (id:base64 of 32 bytes)");
        }
        for (String entry : spec.split(",")) {
            String[] parts = entry.trim().split(":", 2);
            if (parts.length != 2 || !parts[0].matches("[A-Za-z0-9_-]{1,16}")) {
                throw new IllegalStateException(property + ": each key is id:base64");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(parts[1].trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(property + ": key " + parts[0] + " is not base64");
            }
            if (key.length != 32) {
                throw new IllegalStateException(property + ": key " + parts[0] + " must be 32 bytes");
            }
            keys.put(parts[0], new SecretKeySpec(key, "AES"));
        }
        this.current = keys.keySet().iterator().next();
    }

    /** {@code secret} sealed under the current key, bound to {@code context} ("" for none). */
    public String seal(String secret, String context) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(current), new GCMParameterSpec(128, iv));
            cipher.updateAAD(aad(current, context));
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

    /** Opens a value {@link #seal} made with the same {@code context}; fails naming the key, never the value. */
    public String open(String sealed, String context) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            throw new IllegalStateException("a sealed secret has no key id");
        }
        String[] parts = sealed.substring(PREFIX.length()).split(":", 2);
        String keyId = parts[0];
        SecretKeySpec key = keys.get(keyId);
        if (key == null || parts.length != 2) {
            throw new IllegalStateException("a secret was sealed under key '" + keyId + "', which " + property
                    + " no longer lists");
        }
        return open(key, keyId, parts[1], context);
    }

    /**
    * Opens the body of a value sealed under {@code key} (a caller's own earlier scheme, say); without a key id no
    * associated data was bound, so none may be asked for.
    */
    public static String open(SecretKeySpec key, String keyId, String body, String context) {
        if (keyId == null && context != null && !context.isEmpty()) {
            throw new IllegalArgumentException("a value sealed without a key id is bound to no context");
        }
        try {
            byte[] all = Base64.getDecoder().decode(body);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, IV_BYTES));
            if (keyId != null) {
                cipher.updateAAD(aad(keyId, context));
            }
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("a secret cannot be read under key '"
                    + (keyId == null ? "legacy" : keyId) + "'", e);
        }
    }

    /** The key id, then the context when there is one. */
    private static byte[] aad(String keyId, String context) {
        return (context == null || context.isEmpty() ? keyId : keyId + ":" + context)
                .getBytes(StandardCharsets.UTF_8);
    }
}
