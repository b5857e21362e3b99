package io.membercard.common.events;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.membercard.common.config.CommonConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Delivers outbox events to the subscribers named in configuration, at least once and in order, in batches. Each
 * subscriber has a cursor (the last event it took); a round locks the cursor (so one instance serves a subscriber
 * at a time), sends the next events in one call, and moves the cursor only when the subscriber answered 2xx. An
 * event is sent only once every transaction older than it has ended, so none committed late is skipped. A failing
 * subscriber is retried with a backoff that doubles up to {@code membercard.common.outbox.max-backoff}; the others
 * go on. A new subscriber starts from the first event. Receivers drop duplicates by event id.
 */
@ApplicationScoped
public class OutboxDispatcher {
    private static final Logger LOG = Logger.getLogger(OutboxDispatcher.class);
    private static final int MAX_ROUNDS = 50;

    private final Pool pool;
    private final ObjectMapper mapper;
    private final CommonConfig config;
    private final Map<String, EventSink> sinks = new HashMap<>();
    private final Counter delivered;
    private final Counter failed;

    public OutboxDispatcher(Pool pool, ObjectMapper mapper, CommonConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.mapper = mapper;
        this.config = config;
        config.outbox().subscribers().forEach((name, subscriber) -> sinks.put(name, QuarkusRestClientBuilder
                .newBuilder().baseUri(URI.create(subscriber.url()))
                .connectTimeout(2, TimeUnit.SECONDS).readTimeout(30, TimeUnit.SECONDS)
                .build(EventSink.class)));
        this.delivered = registry.counter("membercard.outbox.delivered");
        this.failed = registry.counter("membercard.outbox.failed");
    }

    /** Gives every configured subscriber a cursor, at the first event. */
    void registerSubscribers(@jakarta.enterprise.event.Observes StartupEvent startup) {
        if (!sinks.isEmpty()) {
            pool.preparedQuery(
                    "insert into outbox_cursor (subscriber) select unnest($1::varchar[]) on conflict do nothing")
                    .execute(Tuple.of((Object) sinks.keySet().toArray(new String[0]))).await().indefinitely();
        }
    }

    @Scheduled(every = "${membercard.common.outbox.every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = NoSubscribers.class)
    Uni<Void> scheduled() {
        return deliverDue().replaceWithVoid();
    }

    /** Serves every subscriber until it is caught up (or {@value #MAX_ROUNDS} batches); answers the events sent. */
    public Uni<Integer> deliverDue() {
        return Multi.createFrom().iterable(new ArrayList<>(sinks.keySet()))
                .onItem().transformToUniAndConcatenate(subscriber -> drain(subscriber, 0))
                .collect().asList().map(counts -> counts.stream().mapToInt(Integer::intValue).sum());
    }

    private Uni<Integer> drain(String subscriber, int rounds) {
        return round(subscriber).flatMap(sent -> sent >= config.outbox().batchSize() && rounds < MAX_ROUNDS
                ? drain(subscriber, rounds + 1).map(more -> more + sent)
                : Uni.createFrom().item(sent));
    }

    /** One batch to one subscriber; answers how many events it took (0 when none were due or it failed). */
    private Uni<Integer> round(String subscriber) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                select last_event_id, failures from outbox_cursor
                where subscriber = $1 and next_attempt_at <= now() for update skip locked""")
                .execute(Tuple.of(subscriber))
                .flatMap(cursors -> {
                    if (!cursors.iterator().hasNext()) {
                        return Uni.createFrom().item(0);
                    }
                    Row cursor = cursors.iterator().next();
                    return next(tx, cursor.getLong("last_event_id")).flatMap(events -> events.isEmpty()
                            ? Uni.createFrom().item(0)
                            : send(tx, subscriber, events, cursor.getInteger("failures")));
                }));
    }

    /** The events after {@code cursor} that no running transaction can still precede. */
    private Uni<List<Row>> next(SqlConnection tx, long cursor) {
        return tx.preparedQuery("""
                select id, event_id::text as event_id, tenant_id, type, aggregate_id, payload, created_at
                from outbox_event where id > $1 and tx_id < pg_snapshot_xmin(pg_current_snapshot())
                order by id limit $2""")
                .execute(Tuple.of(cursor, config.outbox().batchSize()))
                .map(rows -> {
                    List<Row> events = new ArrayList<>();
                    rows.forEach(events::add);
                    return events;
                });
    }

    private Uni<Integer> send(SqlConnection tx, String subscriber, List<Row> rows, int failures) {
        List<Event> events;
        try {
            events = new ArrayList<>(rows.size());
            for (Row row : rows) {
                events.add(new Event(row.getString("event_id"), row.getLong("tenant_id"), row.getString("type"),
                        row.getString("aggregate_id"), row.getOffsetDateTime("created_at").toInstant(),
                        mapper.readTree(row.getString("payload"))));
            }
        } catch (JsonProcessingException e) {
            return backOff(tx, subscriber, failures, "unreadable payload: " + e.getOriginalMessage());
        }
        long last = rows.get(rows.size() - 1).getLong("id");
        return sinks.get(subscriber).deliver(config.serviceKey(), events)
                .flatMap(ok -> tx.preparedQuery("""
                        update outbox_cursor set last_event_id = $2, failures = 0, last_error = null,
                               next_attempt_at = now() where subscriber = $1""")
                        .execute(Tuple.of(subscriber, last)).replaceWith(events.size()))
                .invoke(count -> delivered.increment(count))
                .onFailure().recoverWithUni(e -> {
                    failed.increment(events.size());
                    LOG.debugf("%d events to %s failed: %s", events.size(), subscriber, e.getMessage());
                    return backOff(tx, subscriber, failures, e.getMessage());
                });
    }

    private Uni<Integer> backOff(SqlConnection tx, String subscriber, int failures, String error) {
        long backoff = Math.min(config.outbox().maxBackoff().toSeconds(), 1L << Math.min(failures, 16));
        String message = error == null ? "failed" : error.length() > 300 ? error.substring(0, 300) : error;
        return tx.preparedQuery("""
                update outbox_cursor set failures = failures + 1, last_error = $2, next_attempt_at = $3
                where subscriber = $1""")
                .execute(Tuple.of(subscriber, message, Instant.now().plusSeconds(backoff).atOffset(ZoneOffset.UTC)))
                .replaceWith(0);
    }

    /** Skips the schedule in a service that has no subscribers. */
    @ApplicationScoped
    public static class NoSubscribers implements Scheduled.SkipPredicate {
        private final boolean none;

        public NoSubscribers(CommonConfig config) {
            this.none = config.outbox().subscribers().isEmpty();
        }

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return none;
        }
    }
}
