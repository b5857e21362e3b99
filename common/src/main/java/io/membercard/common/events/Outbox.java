package io.membercard.common.events;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes events into the outbox, inside the caller's transaction: the event exists exactly when the change it
 * describes does. {@link OutboxDispatcher} delivers it to every configured subscriber.
 */
@ApplicationScoped
public class Outbox {
    private final ObjectMapper mapper;

    public Outbox(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** An event ready to be written, for a caller that writes it in a statement of its own. */
    public record Pending(String eventId, long tenantId, String type, String aggregateId, String payload,
            Instant createdAt) {
    }

    /** The event about {@code aggregateId}, {@code payload} as JSON, stamped {@code at}. */
    public Pending pending(long tenantId, String type, String aggregateId, Object payload, Instant at) {
        try {
            return new Pending(UUID.randomUUID().toString(), tenantId, type, aggregateId,
                    mapper.writeValueAsString(payload), at);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write event " + type, e);
        }
    }

    /** Appends an event about {@code aggregateId}; {@code payload} is written as JSON. Answers the event id. */
    public Uni<String> append(SqlConnection tx, long tenantId, String type, String aggregateId, Object payload) {
        String eventId = UUID.randomUUID().toString();
        String json;
        try {
            json = mapper.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException("cannot write event " + type, e));
        }
        return tx.preparedQuery("""
                insert into outbox_event (event_id, tenant_id, type, aggregate_id, payload, created_at)
                values ($1::uuid, $2, $3, $4, $5, $6)""")
                .execute(Tuple.of(eventId, tenantId, type, aggregateId, json,
                        Instant.now().atOffset(java.time.ZoneOffset.UTC)))
                .replaceWith(eventId);
    }
}
