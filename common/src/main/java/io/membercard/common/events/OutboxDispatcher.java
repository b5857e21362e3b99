package io.membercard.common.events;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
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
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Delivers outbox events to the subscribers named in configuration, at least once: a delivery is claimed for a
 * while, sent, and marked delivered only when the subscriber answered 2xx; otherwise it is retried with a
 * backoff that doubles up to {@code membercard.common.outbox.max-backoff}. Receivers drop duplicates by event id.
 */
@ApplicationScoped
public class OutboxDispatcher {
    private static final Logger LOG = Logger.getLogger(OutboxDispatcher.class);
    private static final Duration CLAIM = Duration.ofSeconds(30);

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
                .connectTimeout(2, TimeUnit.SECONDS).readTimeout(10, TimeUnit.SECONDS)
                .build(EventSink.class)));
        this.delivered = registry.counter("membercard.outbox.delivered");
        this.failed = registry.counter("membercard.outbox.failed");
    }

    @Scheduled(every = "${membercard.common.outbox.every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = NoSubscribers.class)
    Uni<Void> scheduled() {
        return deliverDue().replaceWithVoid();
    }

    /** Sends every due delivery once; answers how many were delivered. */
    public Uni<Integer> deliverDue() {
        if (sinks.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool
                .preparedQuery(
                        """
                                update outbox_delivery d set next_attempt_at = now() + make_interval(secs => $1), attempts = attempts + 1
                                from outbox_event e
                                where d.event_id = e.id and d.id in (
                                    select id from outbox_delivery where delivered_at is null and next_attempt_at <= now()
                                    order by id limit $2 for update skip locked)
                                returning d.id, d.subscriber, d.attempts, e.event_id::text as event_id, e.tenant_id, e.type,
                                          e.aggregate_id, e.payload, e.created_at""")
                .execute(Tuple.of(CLAIM.toSeconds(), config.outbox().batchSize()))
                .flatMap(rows -> {
                    List<Row> claimed = new ArrayList<>();
                    rows.forEach(claimed::add);
                    if (claimed.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return Multi.createFrom().iterable(claimed)
                            .onItem().transformToUniAndConcatenate(this::send)
                            .collect().asList()
                            .map(results -> (int) results.stream().filter(Boolean::booleanValue).count());
                });
    }

    private Uni<Boolean> send(Row row) {
        long deliveryId = row.getLong("id");
        String subscriber = row.getString("subscriber");
        EventSink sink = sinks.get(subscriber);
        if (sink == null) {
            return markFailed(deliveryId, row.getInteger("attempts"), "subscriber no longer configured")
                    .replaceWith(false);
        }
        Event event;
        try {
            event = new Event(row.getString("event_id"), row.getLong("tenant_id"), row.getString("type"),
                    row.getString("aggregate_id"), row.getOffsetDateTime("created_at").toInstant(),
                    mapper.readTree(row.getString("payload")));
        } catch (JsonProcessingException e) {
            return markFailed(deliveryId, row.getInteger("attempts"), "unreadable payload").replaceWith(false);
        }
        return sink.deliver(config.serviceKey(), event)
                .flatMap(ok -> pool.preparedQuery("update outbox_delivery set delivered_at = now(), last_error = null"
                        + " where id = $1").execute(Tuple.of(deliveryId)).replaceWith(true))
                .invoke(ok -> delivered.increment())
                .onFailure().recoverWithUni(e -> {
                    failed.increment();
                    LOG.debugf("event %s to %s failed: %s", event.eventId(), subscriber, e.getMessage());
                    return markFailed(deliveryId, row.getInteger("attempts"), e.getMessage()).replaceWith(false);
                });
    }

    private Uni<Void> markFailed(long deliveryId, int attempts, String error) {
        long backoff = Math.min(config.outbox().maxBackoff().toSeconds(), 1L << Math.min(attempts, 16));
        String message = error == null ? "failed" : error.length() > 300 ? error.substring(0, 300) : error;
        return pool.preparedQuery("""
                update outbox_delivery set last_error = $2, next_attempt_at = $3 where id = $1""")
                .execute(Tuple.of(deliveryId, message,
                        Instant.now().plusSeconds(backoff).atOffset(java.time.ZoneOffset.UTC)))
                .replaceWithVoid();
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
