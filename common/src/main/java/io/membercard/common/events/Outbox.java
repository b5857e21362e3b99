package io.membercard.common.events;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
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
    public Uni<String> append(SqlClient tx, long tenantId, String type, String aggregateId, Object payload) {
        Pending event;
        try {
            event = pending(tenantId, type, aggregateId, payload, Instant.now());
        } catch (IllegalStateException e) {
            return Uni.createFrom().failure(e);
        }
        return appendAll(tx, List.of(event)).replaceWith(event.eventId());
    }

    /** Appends events made with {@link #pending}, in one statement. */
    public Uni<Void> appendAll(SqlClient tx, List<Pending> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                insert into outbox_event (event_id, tenant_id, type, aggregate_id, payload, created_at)
                select * from unnest($1::uuid[], $2::bigint[], $3::varchar[], $4::varchar[], $5::text[],
                                     $6::timestamptz[])""")
                .execute(Tuple.of(events.stream().map(e -> UUID.fromString(e.eventId())).toArray(UUID[]::new),
                        events.stream().map(Pending::tenantId).toArray(Long[]::new),
                        events.stream().map(Pending::type).toArray(String[]::new),
                        events.stream().map(Pending::aggregateId).toArray(String[]::new),
                        events.stream().map(Pending::payload).toArray(String[]::new),
                        events.stream().map(e -> e.createdAt().atOffset(ZoneOffset.UTC))
                                .toArray(OffsetDateTime[]::new)))
                .replaceWithVoid();
    }
}
