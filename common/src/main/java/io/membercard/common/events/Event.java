package io.membercard.common.events;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A fact one service publishes through its outbox: what happened ({@code type}) to which thing
 * ({@code aggregateId}) of which tenant. {@code eventId} is unique: receivers apply an event once however often it
 * is delivered. {@code tx} is the id of the transaction that wrote it (PostgreSQL's {@code xid8}, as text): a
 * receiver that holds a snapshot the publisher took (a day close's) tells from it whether the snapshot saw the change.
 */
public record Event(String eventId, long tenantId, String type, String aggregateId, Instant occurredAt,
        JsonNode payload, String tx) {
}
