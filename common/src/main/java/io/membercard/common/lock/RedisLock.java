package io.membercard.common.lock;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.config.CommonConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * A mutual-exclusion lock in Redis: {@code SET key token NX PX ttl} with a random token, released by a
 * compare-and-delete in Lua so that only the owner can release it, with a bounded wait and metrics.
 * <p>
 * A lock that outlives its TTL is lost, so it only keeps concurrent work apart; correctness must never rest on it
 * alone (the database fences every change too).
 */
@ApplicationScoped
public class RedisLock {
    private static final Logger LOG = Logger.getLogger(RedisLock.class);
    private static final String RELEASE_SCRIPT = """
            if redis.call('get', KEYS[1]) == ARGV[1] then
              return redis.call('del', KEYS[1])
            else
              return 0
            end""";
    private static final String EXTEND_SCRIPT = """
            if redis.call('get', KEYS[1]) == ARGV[1] then
              return redis.call('pexpire', KEYS[1], ARGV[2])
            else
              return 0
            end""";
    private static final long MAX_BACKOFF_MS = 10;

    private final ReactiveRedisDataSource redis;
    private final Vertx vertx;
    private final CommonConfig config;
    private final SecureRandom random = new SecureRandom();
    private final KeyedQueue local = new KeyedQueue();
    private final Counter acquired;
    private final Counter timeouts;
    private final Counter lost;
    private final Counter errors;
    private final Timer waited;
    private final Timer held;

    public RedisLock(ReactiveRedisDataSource redis, Vertx vertx, CommonConfig config, MeterRegistry registry) {
        this.redis = redis;
        this.vertx = vertx;
        this.config = config;
        this.acquired = registry.counter("membercard.lock.acquired");
        this.timeouts = registry.counter("membercard.lock.timeouts");
        this.lost = registry.counter("membercard.lock.lost");
        this.errors = registry.counter("membercard.lock.errors");
        this.waited = Timer.builder("membercard.lock.wait").publishPercentileHistogram().register(registry);
        this.held = Timer.builder("membercard.lock.held").publishPercentileHistogram().register(registry);
    }

    /** Acquires {@code name} with the configured TTL and wait. */
    public Uni<LockHandle> acquire(String name) {
        return acquire(name, config.lock().ttl(), config.lock().maxWait());
    }

    /**
     * Acquires {@code name}, waiting at most {@code maxWait}; fails with {@link LockTimeoutException} when it stays
     * busy and with {@link LockUnavailableException} when Redis cannot be reached.
     */
    public Uni<LockHandle> acquire(String name, Duration ttl, Duration maxWait) {
        String key = config.redisKeyPrefix() + ":lock:" + name;
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        long start = System.nanoTime();
        return attempt(name, key, token, ttl.toMillis(), start, start + maxWait.toNanos(), 0);
    }

    private Uni<LockHandle> attempt(String name, String key, String token, long ttlMs, long start, long deadline,
            int attempt) {
        return redis.execute("SET", key, token, "NX", "PX", Long.toString(ttlMs))
                .onFailure().transform(e -> unavailable("acquire " + name, e))
                .flatMap(reply -> {
                    long now = System.nanoTime();
                    if (reply != null && "OK".equals(reply.toString())) {
                        acquired.increment();
                        waited.record(now - start, TimeUnit.NANOSECONDS);
                        return Uni.createFrom().item(new LockHandle(name, key, token, now));
                    }
                    if (now >= deadline) {
                        timeouts.increment();
                        waited.record(now - start, TimeUnit.NANOSECONDS);
                        return Uni.createFrom().failure(new LockTimeoutException(name));
                    }
                    long backoff = Math.min(MAX_BACKOFF_MS, 1L << Math.min(attempt, 6));
                    long jittered = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
                    long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - now) + 1;
                    return sleep(Math.max(1, Math.min(jittered, remaining)))
                            .flatMap(ignored -> attempt(name, key, token, ttlMs, start, deadline, attempt + 1));
                });
    }

    /**
     * Releases the lock if this handle still owns it. Answers false when it did not (the lock expired and maybe
     * another caller holds it now); that other caller's lock is left alone.
     */
    public Uni<Boolean> release(LockHandle handle) {
        return redis.execute("EVAL", RELEASE_SCRIPT, "1", handle.key(), handle.token())
                .onFailure().transform(e -> unavailable("release " + handle.name(), e))
                .map(reply -> {
                    held.record(System.nanoTime() - handle.acquiredAtNanos(), TimeUnit.NANOSECONDS);
                    boolean released = reply != null && reply.toLong() == 1L;
                    if (!released) {
                        lost.increment();
                        LOG.warnf("lock %s had expired before its release", handle.name());
                    }
                    return released;
                });
    }

    /**
     * Gives a held lock a new full TTL, if this handle still owns it; answers whether it did. For a holder that
     * passes the lock on to the next caller of this instance instead of releasing it.
     */
    public Uni<Boolean> extend(LockHandle handle) {
        return redis.execute("EVAL", EXTEND_SCRIPT, "1", handle.key(), handle.token(),
                Long.toString(config.lock().ttl().toMillis()))
                .onFailure().transform(e -> unavailable("extend " + handle.name(), e))
                .map(reply -> reply != null && reply.toLong() == 1L);
    }

    /** The configured lifetime of a lock. */
    public Duration ttl() {
        return config.lock().ttl();
    }

    /**
     * Runs {@code work} while holding {@code name}, and releases it however the work ends. Callers of this instance
     * queue for the name first, so a busy name passes straight to the next of them.
     */
    public <T> Uni<T> withLock(String name, Supplier<Uni<? extends T>> work) {
        return local.run(name, () -> acquire(name).flatMap(handle -> Uni.createFrom().<T>deferred(work)
                .onTermination().call(() -> release(handle).onFailure().recoverWithNull())));
    }

    /** This instance's queue in front of the lock, for callers that take and release the lock themselves. */
    public KeyedQueue localQueue() {
        return local;
    }

    private LockUnavailableException unavailable(String what, Throwable cause) {
        errors.increment();
        return new LockUnavailableException("Redis unavailable: cannot " + what, cause);
    }

    private Uni<Long> sleep(long millis) {
        return Uni.createFrom().emitter(emitter -> vertx.setTimer(millis, emitter::complete));
    }
}
