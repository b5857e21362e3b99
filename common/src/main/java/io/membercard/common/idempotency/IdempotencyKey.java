package io.membercard.common.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.membercard.common.api.ApiException;

/**
 * Identifies one client command: the tenant, the kind of command ({@code scope}), the client's serial number and a
 * hash of what the command asks for. The same serial with another hash is a different request (801).
 */
public record IdempotencyKey(long tenantId, String scope, String serial, String requestHash) {
    public static final int MAX_SERIAL_LENGTH = 64;

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    public IdempotencyKey {
        if (serial == null || serial.isBlank()) {
            throw new IllegalArgumentException("serial is required");
        }
        if (serial.length() > MAX_SERIAL_LENGTH) {
            throw ApiException.badInput("code", "a serial number has at most " + MAX_SERIAL_LENGTH + " characters");
        }
    }

    /**
     * A key whose hash covers {@code command}: pass the normalised command (what the service will do), not the raw
     * body, so that legacy fields the server ignores cannot turn a replay into an 801.
     */
    public static IdempotencyKey of(long tenantId, String scope, String serial, Object command) {
        return new IdempotencyKey(tenantId, scope, serial, hash(command));
    }

    static String hash(Object command) {
        try {
            byte[] canonical = CANONICAL.writeValueAsBytes(command);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash the request", e);
        }
    }

    /** Hash of a text, for callers that build their own canonical form. */
    public static String hashText(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
