package io.membercard.member.member;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.JsonNode;

/** Times in other services' events: epoch milliseconds, or null. */
public final class CardTimes {
    private CardTimes() {
    }

    /** The time as the database takes it, or null. */
    public static OffsetDateTime at(JsonNode node) {
        Instant instant = read(node);
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    public static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    public static Instant read(JsonNode node) {
        return node == null || !node.isNumber() ? null : Instant.ofEpochMilli(node.asLong());
    }
}
