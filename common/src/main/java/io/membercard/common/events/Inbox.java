package io.membercard.common.events;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Receives events: records each event id once and, for a new one, runs the service's {@link EventHandler}s in the
 * same transaction. A redelivered event changes nothing.
 */
@ApplicationScoped
public class Inbox {
    private final Pool pool;
    private final List<EventHandler> handlers;
    private final MeterRegistry registry;

    public Inbox(Pool pool, Instance<EventHandler> handlers, MeterRegistry registry) {
        this.pool = pool;
        this.handlers = handlers.stream().toList();
        this.registry = registry;
    }

    /** Answers whether the event was new. */
    public Uni<Boolean> accept(Event event) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                insert into inbox_event (event_id, tenant_id, type) values ($1::uuid, $2, $3)
                on conflict do nothing""")
                .execute(Tuple.of(event.eventId(), event.tenantId(), event.type()))
                .flatMap(rows -> {
                    boolean fresh = rows.rowCount() == 1;
                    registry.counter("membercard.inbox.received", "type", event.type(), "duplicate",
                            Boolean.toString(!fresh)).increment();
                    if (!fresh) {
                        return Uni.createFrom().item(false);
                    }
                    return Multi.createFrom().iterable(handlers).filter(h -> h.handles(event.type()))
                            .onItem().transformToUniAndConcatenate(h -> h.handle(tx, event))
                            .collect().last().replaceWith(true);
                }));
    }
}
