package io.membercard.common.limits;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.membercard.common.config.CommonConfig;
import io.membercard.common.logging.LogText;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;

/**
 * A tenant's count of a {@link Limit.Period#SECOND} limit in this service, all its instances together: a fixed window
 * per tenant and clock second in Redis (one script adds and starts the window). When Redis cannot answer, nothing is
 * counted (the gateway's limits per user still hold), Redis is left alone for a few seconds, and the log says so once a
 * minute. Refusals are counted in {@code membercard.limits.refused} and logged once a minute per tenant.
 */
@ApplicationScoped
public class TenantSeconds {
    private static final Logger LOG = Logger.getLogger(TenantSeconds.class);
    private static final long REDIS_REST_NANOS = Duration.ofSeconds(5).toNanos();
    private static final long LOG_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    /** KEYS: the tenant's count of this second; ARGV: what to add. Answers the count with it. */
    private static final String ADD = """
            local n = redis.call('INCRBY', KEYS[1], ARGV[1])
            if n == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], 2000) end
            return n
            """;

    private final TenantLimits limits;
    private final ReactiveRedisDataSource redis;
    private final MeterRegistry registry;
    private final String service;
    private final String prefix;
    private final AtomicLong redisBackAt = new AtomicLong(System.nanoTime());
    private final AtomicLong lastFailureLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private final Map<String, Long> lastRefusalLogged = new ConcurrentHashMap<>();

    public TenantSeconds(TenantLimits limits, ReactiveRedisDataSource redis, CommonConfig config,
            @ConfigProperty(name = "quarkus.application.name") String service, MeterRegistry registry) {
        this.limits = limits;
        this.redis = redis;
        this.registry = registry;
        this.service = service;
        this.prefix = config.redisKeyPrefix();
    }

    /** The service whose counts these are (its name on the wire's messages). */
    public String service() {
        return service;
    }

    /**
     * Adds {@code amount} to the tenant's count of {@code limit} this second; answers the tenant's limit when the count
     * passes it (the caller refuses), or null when it is within it or could not be counted.
     */
    public Uni<Long> add(long tenant, Limit limit, long amount) {
        if (limit.period() != Limit.Period.SECOND) {
            throw new IllegalArgumentException(limit.wireName() + " is not counted by the second");
        }
        return limits.get(tenant, limit).flatMap(most -> {
            long now = System.nanoTime();
            if (now - redisBackAt.get() < 0) {
                registry.counter("membercard.limits.uncounted", "limit", limit.wireName()).increment();
                return Uni.createFrom().nullItem();
            }
            String key = prefix + ":" + limit.wireName() + ":" + service + ":{" + tenant + "}:"
                    + System.currentTimeMillis() / 1000;
            return redis.execute("EVAL", ADD, "1", key, Long.toString(amount))
                    .map(reply -> reply == null || reply.toLong() <= most ? null : refused(tenant, limit, most))
                    .onFailure().recoverWithItem(e -> {
                        uncounted(limit, e);
                        return null;
                    });
        });
    }

    private Long refused(long tenant, Limit limit, long most) {
        registry.counter("membercard.limits.refused", "limit", limit.wireName()).increment();
        long now = System.nanoTime();
        String which = tenant + ":" + limit.wireName();
        Long last = lastRefusalLogged.get(which);
        if (last == null || now - last >= LOG_EVERY_NANOS) {
            lastRefusalLogged.put(which, now);
            if (lastRefusalLogged.size() > 10_000) {
                lastRefusalLogged.clear();
            }
            LOG.warnf("tenant %d: more than %d %s to %s; the others are refused (429) until the second ends", tenant,
                    most, limit.what(), service);
        }
        return most;
    }

    private void uncounted(Limit limit, Throwable e) {
        registry.counter("membercard.limits.uncounted", "limit", limit.wireName()).increment();
        long now = System.nanoTime();
        redisBackAt.set(now + REDIS_REST_NANOS);
        long last = lastFailureLogged.get();
        if (now - last >= LOG_EVERY_NANOS && lastFailureLogged.compareAndSet(last, now)) {
            LOG.warnf("%s cannot be counted (Redis): %s; they go through uncounted (the gateway's limits still hold)",
                    limit.what(), LogText.error(e));
        }
    }
}
