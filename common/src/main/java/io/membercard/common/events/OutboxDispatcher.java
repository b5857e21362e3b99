package io.membercard.common.events;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.WebApplicationException;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.membercard.common.config.CommonConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Delivers outbox events to the subscribers named in configuration, at least once and in commit order, in batches.
 * <p>
 * <b>Order.</b> Committed events are stamped with a sequence number ({@code seq}), one stamping at a time across all
 * instances (the {@code outbox_sequencer} row), and every subscriber reads by {@code seq}. An event whose transaction
 * commits late is stamped late, after everything already handed out, so no cursor passes it; and nothing waits for
 * other transactions to end, so a long transaction anywhere in the database holds back none of the others' events.
 * <p>
 * <b>Rounds.</b> A round leases the subscriber's cursor (so one instance serves a subscriber at a time), reads the
 * next events, sends them in one call without holding any database connection or lock, and moves the cursor only
 * when the subscriber answered 2xx. Subscribers are served side by side: a slow one holds back no other.
 * <p>
 * <b>Failures.</b> A subscriber that cannot be reached or cannot take events for now (no connection, 401/403/404,
 * 409, 502–504, a timeout) is retried with a backoff that doubles up to {@code membercard.common.outbox.max-backoff}.
 * After a refused batch (400, 413, 422, 500), the subscriber gets its events one at a time; one it keeps refusing
 * {@code membercard.common.outbox.dead-letter-after} times is set aside in {@code outbox_dead_letter} (counted in
 * {@code membercard_outbox_dead_letters}, listed and sent again through {@link OutboxAdminResource}), and delivery
 * goes on. Receivers drop duplicates by event id.
 */
@ApplicationScoped
public class OutboxDispatcher {
    private static final Logger LOG = Logger.getLogger(OutboxDispatcher.class);
    private static final int MAX_ROUNDS = 50;
    private static final int STAMP_BATCH = 5_000;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    /** A lease outlives the longest call it covers. */
    private static final Duration LEASE = READ_TIMEOUT.plusSeconds(15);

    private final Pool pool;
    private final ObjectMapper mapper;
    private final CommonConfig config;
    private final Map<String, EventSink> sinks = new TreeMap<>();
    private final String owner = UUID.randomUUID().toString();
    private final Counter delivered;
    private final Counter failed;
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> pending = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> deadLetters = new ConcurrentHashMap<>();

    public OutboxDispatcher(Pool pool, ObjectMapper mapper, CommonConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.mapper = mapper;
        this.config = config;
        this.registry = registry;
        config.outbox().subscribers().forEach((name, subscriber) -> {
            sinks.put(name, QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(subscriber.url()))
                    .connectTimeout(2, TimeUnit.SECONDS).readTimeout(READ_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    .build(EventSink.class));
            gauge("membercard.outbox.pending", name, pending, "events not yet taken by the subscriber");
            gauge("membercard.outbox.dead.letters", name, deadLetters,
                    "events the subscriber kept refusing, set aside and not yet delivered");
        });
        this.delivered = registry.counter("membercard.outbox.delivered");
        this.failed = registry.counter("membercard.outbox.failed");
    }

    private void gauge(String metric, String subscriber, Map<String, AtomicLong> values, String description) {
        AtomicLong value = values.computeIfAbsent(subscriber, s -> new AtomicLong());
        Gauge.builder(metric, value, AtomicLong::doubleValue).tag("subscriber", subscriber).description(description)
                .register(registry);
    }

    /** Gives every configured subscriber a cursor, at the first event. */
    void registerSubscribers(@Observes StartupEvent startup) {
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

    /**
     * Stamps the committed events, then serves every subscriber side by side until it is caught up (or
     * {@value #MAX_ROUNDS} batches), and sends the dead letters an operator asked to retry; answers the events sent.
     */
    public Uni<Integer> deliverDue() {
        if (sinks.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<Uni<Integer>> drains = new ArrayList<>();
        for (String subscriber : sinks.keySet()) {
            drains.add(drain(subscriber, 0).flatMap(sent -> retryDeadLetters(subscriber).map(more -> sent + more))
                    .onFailure().recoverWithItem(e -> {
                        LOG.warnf("outbox delivery to %s failed: %s", subscriber, e.toString());
                        return 0;
                    }));
        }
        return stamp().flatMap(ignored -> Uni.join().all(drains).andFailFast())
                .map(counts -> counts.stream().mapToInt(Integer::intValue).sum())
                .call(this::refreshGauges);
    }

    /** Gives every committed, unstamped event its seq, in id order, one stamping at a time across instances. */
    Uni<Void> stamp() {
        return pool.withTransaction(tx -> tx.query("select last_seq from outbox_sequencer where id = 1 for update")
                .execute()
                .flatMap(rows -> {
                    long last = rows.iterator().next().getLong(0);
                    return tx.preparedQuery("""
                            with batch as (select id, row_number() over (order by id) as n from outbox_event
                                           where seq is null order by id limit $2)
                            update outbox_event e set seq = $1 + batch.n from batch where e.id = batch.id""")
                            .execute(Tuple.of(last, STAMP_BATCH))
                            .flatMap(stamped -> stamped.rowCount() == 0
                                    ? Uni.createFrom().item(0)
                                    : tx.preparedQuery("update outbox_sequencer set last_seq = $1 where id = 1")
                                            .execute(Tuple.of(last + stamped.rowCount()))
                                            .replaceWith(stamped.rowCount()));
                }))
                .flatMap(count -> count == STAMP_BATCH ? stamp() : Uni.createFrom().voidItem());
    }

    private Uni<Integer> drain(String subscriber, int rounds) {
        return round(subscriber).flatMap(sent -> sent >= config.outbox().batchSize() && rounds < MAX_ROUNDS
                ? drain(subscriber, rounds + 1).map(more -> more + sent)
                : Uni.createFrom().item(sent));
    }

    /** A leased cursor: where the subscriber is, and how its last attempts went. */
    private record Cursor(String subscriber, long lastSeq, int failures, int headRefusals) {
    }

    /** One batch to one subscriber; answers how many events it took (0 when none were due or it failed). */
    private Uni<Integer> round(String subscriber) {
        return pool.preparedQuery("""
                update outbox_cursor set leased_until = now() + make_interval(secs => $3), lease_owner = $2
                where subscriber = $1 and next_attempt_at <= now() and (leased_until is null or leased_until < now())
                returning last_seq, failures, head_refusals""")
                .execute(Tuple.of(subscriber, owner, (double) LEASE.toSeconds()))
                .flatMap(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().item(0);
                    }
                    Row row = rows.iterator().next();
                    Cursor cursor = new Cursor(subscriber, row.getLong("last_seq"), row.getInteger("failures"),
                            row.getInteger("head_refusals"));
                    // After a failure, events go one at a time, so that one the subscriber refuses is found.
                    int limit = cursor.failures() > 0 ? 1 : config.outbox().batchSize();
                    return pool.preparedQuery("""
                            select seq, event_id::text as event_id, tenant_id, type, aggregate_id, payload, created_at,
                                   tx::text as tx
                            from outbox_event where seq > $1 order by seq limit $2""")
                            .execute(Tuple.of(cursor.lastSeq(), limit))
                            .flatMap(events -> events.rowCount() == 0
                                    ? release(cursor).replaceWith(0)
                                    : send(cursor, events));
                });
    }

    private Uni<Integer> send(Cursor cursor, RowSet<Row> rows) {
        List<Event> events = new ArrayList<>(rows.rowCount());
        long last = 0;
        try {
            for (Row row : rows) {
                events.add(event(row));
                last = row.getLong("seq");
            }
        } catch (JsonProcessingException e) {
            return refused(cursor, rows.iterator().next(), rows.rowCount(),
                    "unreadable payload: " + e.getOriginalMessage());
        }
        long upTo = last;
        Row head = rows.iterator().next();
        return sinks.get(cursor.subscriber()).deliver(config.serviceKey(), events)
                .flatMap(ok -> pool.preparedQuery("""
                        update outbox_cursor set last_seq = $3, failures = 0, head_refusals = 0, last_error = null,
                               next_attempt_at = now(), leased_until = null
                        where subscriber = $1 and lease_owner = $2""")
                        .execute(Tuple.of(cursor.subscriber(), owner, upTo)).replaceWith(events.size()))
                .invoke(count -> delivered.increment(count))
                .onFailure().recoverWithUni(e -> {
                    failed.increment(events.size());
                    LOG.debugf("%d events to %s failed: %s", events.size(), cursor.subscriber(), e.getMessage());
                    return refusal(e)
                            ? refused(cursor, head, events.size(), e.getMessage())
                            : backOff(cursor, cursor.headRefusals(), e.getMessage()).replaceWith(0);
                });
    }

    private Event event(Row row) throws JsonProcessingException {
        return new Event(row.getString("event_id"), row.getLong("tenant_id"), row.getString("type"),
                row.getString("aggregate_id"), row.getOffsetDateTime("created_at").toInstant(),
                mapper.readTree(row.getString("payload")), row.getString("tx"));
    }

    /**
     * Whether the subscriber answered that it cannot take the events: 400, 413, 422, or 500, which a receiver answers
     * when a handler fails on them (it answers 503 for what trying again can mend). Not being reachable, a 409, or
     * not accepting our key are the platform's trouble, not the events': those are only retried.
     */
    static boolean refusal(Throwable failure) {
        if (failure instanceof WebApplicationException e && e.getResponse() != null) {
            int status = e.getResponse().getStatus();
            return status == 400 || status == 413 || status == 422 || status == 500;
        }
        return false;
    }

    /**
     * The subscriber refused: a batch is retried one event at a time; the event alone ({@code head}) counts a
     * refusal, and after {@code dead-letter-after} of them it is set aside and the cursor moves past it.
     */
    private Uni<Integer> refused(Cursor cursor, Row head, int sent, String error) {
        if (sent > 1) {
            return backOff(cursor, cursor.headRefusals(), error).replaceWith(0);
        }
        int refusals = cursor.headRefusals() + 1;
        if (refusals < config.outbox().deadLetterAfter()) {
            return backOff(cursor, refusals, error).replaceWith(0);
        }
        long seq = head.getLong("seq");
        LOG.errorf("outbox: %s refused event %s (%s of tenant %d, seq %d) %d times; set aside as a dead letter: %s",
                cursor.subscriber(), head.getString("event_id"), head.getString("type"), head.getLong("tenant_id"),
                seq, refusals, error);
        registry.counter("membercard.outbox.dead.lettered", "subscriber", cursor.subscriber()).increment();
        // The cursor moves only while this round's lease holds; the dead letter is kept in the same transaction.
        return pool.withTransaction(tx -> tx.preparedQuery("""
                update outbox_cursor set last_seq = $3, failures = 0, head_refusals = 0, last_error = $4,
                       next_attempt_at = now(), leased_until = null
                where subscriber = $1 and lease_owner = $2 and last_seq = $5""")
                .execute(Tuple.of(cursor.subscriber(), owner, seq, truncate("dead letter: " + error), cursor.lastSeq()))
                .flatMap(moved -> moved.rowCount() == 0
                        ? Uni.createFrom().voidItem()
                        : tx.preparedQuery(
                                """
                                        insert into outbox_dead_letter (subscriber, event_seq, event_id, tenant_id, type, attempts,
                                                                        last_error)
                                        values ($1, $2, $3::uuid, $4, $5, $6, $7) on conflict (subscriber, event_id) do nothing""")
                                .execute(Tuple.from(new Object[]{cursor.subscriber(), seq, head.getString("event_id"),
                                        head.getLong("tenant_id"), head.getString("type"), refusals, truncate(error)}))
                                .replaceWithVoid()))
                .replaceWith(0);
    }

    private Uni<Void> backOff(Cursor cursor, int headRefusals, String error) {
        long backoff = Math.min(config.outbox().maxBackoff().toSeconds(), 1L << Math.min(cursor.failures(), 16));
        return pool.preparedQuery("""
                update outbox_cursor set failures = failures + 1, head_refusals = $3, last_error = $4,
                       next_attempt_at = $5, leased_until = null
                where subscriber = $1 and lease_owner = $2""")
                .execute(Tuple.of(cursor.subscriber(), owner, headRefusals, truncate(error),
                        Instant.now().plusSeconds(backoff).atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    private Uni<Void> release(Cursor cursor) {
        return pool.preparedQuery(
                "update outbox_cursor set leased_until = null where subscriber = $1 and lease_owner = $2")
                .execute(Tuple.of(cursor.subscriber(), owner)).replaceWithVoid();
    }

    /** Sends, one by one, the subscriber's dead letters an operator asked to retry; answers how many got through. */
    private Uni<Integer> retryDeadLetters(String subscriber) {
        return pool.preparedQuery("""
                select d.id, e.seq, e.event_id::text as event_id, e.tenant_id, e.type, e.aggregate_id, e.payload,
                       e.created_at, e.tx::text as tx
                from outbox_dead_letter d join outbox_event e on e.event_id = d.event_id
                where d.subscriber = $1 and d.retry_requested_at is not null and d.delivered_at is null
                order by d.id limit 100""")
                .execute(Tuple.of(subscriber))
                .flatMap(rows -> Multi.createFrom().iterable(rows)
                        .onItem().transformToUniAndConcatenate(row -> retryDeadLetter(subscriber, row))
                        .collect().asList())
                .map(results -> (int) results.stream().filter(Boolean::booleanValue).count());
    }

    private Uni<Boolean> retryDeadLetter(String subscriber, Row row) {
        long id = row.getLong("id");
        Event event;
        try {
            event = event(row);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().item(false);
        }
        return sinks.get(subscriber).deliver(config.serviceKey(), List.of(event))
                .flatMap(ok -> pool.preparedQuery("update outbox_dead_letter set delivered_at = now() where id = $1")
                        .execute(Tuple.of(id)).replaceWith(true))
                .onFailure().recoverWithUni(e -> pool.preparedQuery("""
                        update outbox_dead_letter set attempts = attempts + 1, last_error = $2,
                               retry_requested_at = null
                        where id = $1""")
                        .execute(Tuple.of(id, truncate(e.getMessage()))).replaceWith(false));
    }

    private Uni<Void> refreshGauges() {
        return pool.query("""
                select c.subscriber, greatest(s.last_seq - c.last_seq, 0) as pending,
                       (select count(*) from outbox_dead_letter d
                        where d.subscriber = c.subscriber and d.delivered_at is null) as dead
                from outbox_cursor c cross join outbox_sequencer s""")
                .execute()
                .invoke(rows -> rows.forEach(row -> {
                    AtomicLong waiting = pending.get(row.getString("subscriber"));
                    if (waiting != null) {
                        waiting.set(row.getLong("pending"));
                        deadLetters.get(row.getString("subscriber")).set(row.getLong("dead"));
                    }
                }))
                .replaceWithVoid();
    }

    private static String truncate(String error) {
        String message = error == null ? "failed" : error;
        return message.length() > 300 ? message.substring(0, 300) : message;
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
