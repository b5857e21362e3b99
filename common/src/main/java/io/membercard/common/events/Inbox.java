package io.membercard.common.events;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Receives events: records each event id once and, for the new ones, runs the service's {@link EventHandler}s in
 * the same transaction. A redelivered event changes nothing.
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

    /** Answers how many of the events were new. */
    public Uni<Integer> accept(List<Event> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        UUID[] ids = events.stream().map(e -> UUID.fromString(e.eventId())).toArray(UUID[]::new);
        Long[] tenants = events.stream().map(Event::tenantId).toArray(Long[]::new);
        String[] types = events.stream().map(Event::type).toArray(String[]::new);
        return pool.withTransaction(tx -> tx.preparedQuery("""
                insert into inbox_event (event_id, tenant_id, type)
                select * from unnest($1::uuid[], $2::bigint[], $3::varchar[])
                on conflict do nothing returning event_id::text""")
                .execute(Tuple.of(ids, tenants, types))
                .flatMap(rows -> {
                    Set<String> fresh = new HashSet<>();
                    for (Row row : rows) {
                        fresh.add(row.getString(0));
                    }
                    for (Event event : events) {
                        registry.counter("membercard.inbox.received", "type", event.type(), "duplicate",
                                Boolean.toString(!fresh.contains(event.eventId()))).increment();
                    }
                    List<Event> toHandle = events.stream().filter(e -> fresh.remove(e.eventId())).toList();
                    // Each handler takes the batch's events it wants, in order.
                    return Multi.createFrom().iterable(handlers)
                            .onItem().transformToUniAndConcatenate(h -> {
                                List<Event> mine = toHandle.stream().filter(e -> h.handles(e.type())).toList();
                                return mine.isEmpty() ? Uni.createFrom().voidItem() : h.handleAll(tx, mine);
                            })
                            .collect().last()
                            .replaceWith(toHandle.size());
                }));
    }
}
