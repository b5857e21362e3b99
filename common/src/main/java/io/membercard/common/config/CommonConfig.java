package io.membercard.common.config;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings every service shares. */
@ConfigMapping(prefix = "membercard.common")
public interface CommonConfig {

    /** Time zone in which dates are written and query dates are read (the contract's default tenant zone). */
    @WithDefault("Asia/Shanghai")
    String timeZone();

    /**
     * When business days begin, in {@link #timeZone()}, for a tenant that has not set its own (member-service's
     * day-close settings): every ledger entry belongs to the day whose span holds it.
     */
    @WithDefault("00:00")
    java.time.LocalTime dayCutOff();

    /** Prefix of every Redis key, so that environments (dev, test, system test) can share one Redis. */
    @WithDefault("mc")
    String redisKeyPrefix();

    /**
     * The key services present to each other's {@code /internal/service/} endpoints (header {@code X-Service-Key}).
     * Required in production; those endpoints are never routed by the gateway.
     */
    String serviceKey();

    /** Largest request body, by its Content-Length, on every path but {@link #largeBodyPaths()} (413 beyond). */
    @WithDefault("1M")
    io.quarkus.runtime.configuration.MemorySize bodyLimit();

    /** Paths that take files (bounded by {@code quarkus.http.limits.max-body-size} instead). */
    java.util.Optional<java.util.List<String>> largeBodyPaths();

    /** Services that receive this service's outbox events. */
    Outbox outbox();

    interface Outbox {
        /** Subscribers by name; each receives every event at {@code <url>/internal/service/events}. */
        Map<String, Subscriber> subscribers();

        /** How often the dispatcher looks for undelivered events. */
        @WithDefault("1s")
        Duration every();

        /** How many events one call to a subscriber carries at most. */
        @WithDefault("500")
        int batchSize();

        /** Longest wait before retrying a failed delivery (the wait doubles from 1 s up to this). */
        @WithDefault("60s")
        Duration maxBackoff();

        /** How many times a subscriber may refuse one event before it is set aside as a dead letter. */
        @WithDefault("8")
        int deadLetterAfter();
    }

    interface Subscriber {
        /** Base URL of the subscribing service, e.g. {@code http://member-service}. */
        String url();
    }

    /** The Redis lock that guards balance changes. */
    Lock lock();

    interface Lock {
        /** How long a lock lives if its holder never releases it. */
        @WithDefault("5s")
        Duration ttl();

        /** How long a caller waits for a busy lock before giving up. */
        @WithDefault("2s")
        Duration maxWait();

        /**
         * Whether one instance's requests for the same key wait in line in-process before the Redis lock (always in
         * production). Off only in tests that leave every request to the Redis lock and the database's fences, as if
         * each came from another instance.
         */
        @WithDefault("true")
        boolean localQueue();
    }
}
