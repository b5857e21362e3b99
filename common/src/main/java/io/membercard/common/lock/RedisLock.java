package io.membercard.common.lock;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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
    /** Sets every key or none: answers 0, or the 1-based index of the first key that was taken. */
    private static final String ACQUIRE_ALL_SCRIPT = """
            for i, key in ipairs(KEYS) do
              if not redis.call('set', key, ARGV[1], 'NX', 'PX', ARGV[2]) then
                for j = 1, i - 1 do redis.call('del', KEYS[j]) end
                return i
              end
            end
            return 0""";
    private static final String RELEASE_ALL_SCRIPT = """
            local released = 0
            for i, key in ipairs(KEYS) do
              if redis.call('get', key) == ARGV[1] then
                released = released + redis.call('del', key)
              end
            end
            return released""";
    private static final long MAX_BACKOFF_MS = 10;

    private final ReactiveRedisDataSource redis;
    private final Vertx vertx;
    private final CommonConfig config;
    private final SecureRandom random = new SecureRandom();
    private final KeyedQueue local;
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
        this.local = new KeyedQueue(config.lock().localQueue());
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
        return untilFree(() -> redis.execute("SET", key, token, "NX", "PX", Long.toString(ttl.toMillis()))
                .onFailure().transform(e -> unavailable("acquire " + name, e))
                .map(reply -> {
                    if (reply == null || !"OK".equals(reply.toString())) {
                        return null;
                    }
                    acquired.increment();
                    return new LockHandle(name, key, token, System.nanoTime());
                }), () -> name, start, start + maxWait.toNanos(), 0);
    }

    /**
     * Runs {@code once} (an attempt that answers null while the lock is busy) until it answers or {@code deadline}
     * passes, backing off with jitter; then fails with {@link LockTimeoutException} naming {@code busy}'s lock.
     */
    private <T> Uni<T> untilFree(java.util.function.Supplier<Uni<T>> once, java.util.function.Supplier<String> busy,
            long start, long deadline, int attempt) {
        return once.get().flatMap(result -> {
            long now = System.nanoTime();
            if (result != null) {
                waited.record(now - start, TimeUnit.NANOSECONDS);
                return Uni.createFrom().item(result);
            }
            if (now >= deadline) {
                timeouts.increment();
                waited.record(now - start, TimeUnit.NANOSECONDS);
                return Uni.createFrom().failure(new LockTimeoutException(busy.get()));
            }
            long backoff = Math.min(MAX_BACKOFF_MS, 1L << Math.min(attempt, 6));
            long jittered = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
            long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - now) + 1;
            return sleep(Math.max(1, Math.min(jittered, remaining)))
                    .flatMap(ignored -> untilFree(once, busy, start, deadline, attempt + 1));
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

    /**
     * Acquires every one of {@code names} or none (for work on many records at once, such as a batch of accounts),
     * waiting at most the configured time for all of them to be free at once. Fails like {@link #acquire(String)}.
     */
    public Uni<List<LockHandle>> acquireAll(List<String> names) {
        if (names.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        List<String> args = new ArrayList<>(names.size() + 5);
        args.add(ACQUIRE_ALL_SCRIPT);
        args.add(Integer.toString(names.size()));
        for (String name : names) {
            args.add(config.redisKeyPrefix() + ":lock:" + name);
        }
        args.add(token);
        args.add(Long.toString(config.lock().ttl().toMillis()));
        long start = System.nanoTime();
        String[] busy = {names.get(0)};
        return untilFree(() -> redis.execute("EVAL", args.toArray(new String[0]))
                .onFailure().transform(e -> unavailable("acquire " + names.size() + " locks", e))
                .map(reply -> {
                    if (reply == null || reply.toLong() != 0L) {
                        // The script answers the (1-based) position of a busy lock.
                        busy[0] = reply == null ? names.get(0) : names.get(reply.toLong().intValue() - 1);
                        return null;
                    }
                    acquired.increment(names.size());
                    long now = System.nanoTime();
                    List<LockHandle> handles = new ArrayList<>(names.size());
                    for (int i = 0; i < names.size(); i++) {
                        handles.add(new LockHandle(names.get(i), args.get(i + 2), token, now));
                    }
                    return handles;
                }), () -> busy[0], start, start + config.lock().maxWait().toNanos(), 0);
    }

    /** Releases the locks of {@link #acquireAll} that are still theirs; answers how many were. */
    public Uni<Integer> releaseAll(List<LockHandle> handles) {
        if (handles.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<String> args = new ArrayList<>(handles.size() + 3);
        args.add(RELEASE_ALL_SCRIPT);
        args.add(Integer.toString(handles.size()));
        handles.forEach(handle -> args.add(handle.key()));
        args.add(handles.get(0).token());
        return redis.execute("EVAL", args.toArray(new String[0]))
                .onFailure().transform(e -> unavailable("release " + handles.size() + " locks", e))
                .map(reply -> {
                    int released = reply == null ? 0 : reply.toLong().intValue();
                    held.record(System.nanoTime() - handles.get(0).acquiredAtNanos(), TimeUnit.NANOSECONDS);
                    if (released < handles.size()) {
                        lost.increment(handles.size() - released);
                        LOG.warnf("%d of %d locks had expired before their release", handles.size() - released,
                                handles.size());
                    }
                    return released;
                });
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
