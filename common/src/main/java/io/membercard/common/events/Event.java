package io.membercard.common.events;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A fact one service publishes through its outbox: what happened ({@code type}) to which thing
 * ({@code aggregateId}) of which tenant. {@code eventId} is unique: receivers apply an event once however often it
 * is delivered.
 */
public record Event(String eventId, long tenantId, String type, String aggregateId, Instant occurredAt,
        JsonNode payload) {
}
