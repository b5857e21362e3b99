package io.membercard.payment.account;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.lock.KeyedQueue;
import io.membercard.common.lock.LockHandle;
import io.membercard.common.lock.LockUnavailableException;
import io.membercard.common.lock.RedisLock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * The Redis lock in front of every balance change. Requests of this instance for the same card queue here first,
 * and a holder with others waiting behind it passes the Redis lock straight on (renewing it when half its TTL is
 * gone) instead of releasing it, so a busy card costs no Redis round trips between its changes. When Redis cannot
 * be reached, changes go on under the database's row lock alone (which fences every change anyway): counted in
 * {@code membercard_payment_lock_degraded_total} and reported by the readiness check "Redis (balance locks)".
 */
@ApplicationScoped
public class AccountLock {
    private static final Logger LOG = Logger.getLogger(AccountLock.class);

    private final RedisLock lock;
    private final Counter degraded;
    private final long renewAfterNanos;
    private final ConcurrentHashMap<String, Held> passedOn = new ConcurrentHashMap<>();
    private volatile boolean redisAvailable = true;

    /** A lock this instance holds, and when its TTL was last set. */
    private record Held(LockHandle handle, long setAtNanos) {
    }

    public AccountLock(RedisLock lock, MeterRegistry registry) {
        this.lock = lock;
        this.degraded = registry.counter("membercard.payment.lock.degraded");
        this.renewAfterNanos = lock.ttl().toNanos() / 2;
    }

    /** Runs {@code work} under the card's lock, or under database locking alone while Redis is down. */
    public <T> Uni<T> guard(AccountRef ref, Supplier<Uni<? extends T>> work) {
        String name = "account:" + ref.tenantId() + ":" + ref.cardId();
        return lock.localQueue().run(name, turn -> lockAndRun(name, turn, work));
    }

    private <T> Uni<T> lockAndRun(String name, KeyedQueue.Turn turn, Supplier<Uni<? extends T>> work) {
        return take(name).flatMap(held -> {
            if (held == null) {
                return withoutRedis(1, work);
            }
            redisAvailable = true;
            return Uni.createFrom().<T>deferred(work).onTermination().call(() -> {
                if (turn.othersWaiting()) {
                    passedOn.put(name, held);
                    return Uni.createFrom().voidItem();
                }
                return lock.release(held.handle()).onFailure().recoverWithNull();
            });
        });
    }

    /**
     * Runs {@code work} under the locks of every card of {@code refs}, taken all at once (a batch of accounts in one
     * transaction); under database locking alone while Redis is down.
     */
    public <T> Uni<T> guardAll(List<AccountRef> refs, Supplier<Uni<? extends T>> work) {
        List<String> names = refs.stream().map(ref -> "account:" + ref.tenantId() + ":" + ref.cardId()).distinct()
                .sorted().toList();
        return lock.acquireAll(names).onFailure(LockUnavailableException.class).recoverWithNull()
                .flatMap(handles -> {
                    if (handles == null) {
                        return withoutRedis(names.size(), work);
                    }
                    redisAvailable = true;
                    return Uni.createFrom().<T>deferred(work)
                            .onTermination().call(() -> lock.releaseAll(handles).onFailure().recoverWithNull());
                });
    }

    /** Runs {@code work} without the {@code locks} Redis locks it should have had: Redis cannot be reached. */
    private <T> Uni<T> withoutRedis(int locks, Supplier<Uni<? extends T>> work) {
        degraded.increment(locks);
        if (redisAvailable) {
            LOG.warn("Redis unavailable: balance changes continue under database locks only");
        }
        redisAvailable = false;
        return Uni.createFrom().<T>deferred(work);
    }

    /** The lock passed on by the previous holder (renewed if due), or a newly acquired one; null without Redis. */
    private Uni<Held> take(String name) {
        Held inherited = passedOn.remove(name);
        if (inherited == null) {
            return acquire(name);
        }
        if (System.nanoTime() - inherited.setAtNanos() < renewAfterNanos) {
            return Uni.createFrom().item(inherited);
        }
        return lock.extend(inherited.handle())
                .flatMap(renewed -> renewed
                        ? Uni.createFrom().item(new Held(inherited.handle(), System.nanoTime()))
                        : acquire(name))
                .onFailure(LockUnavailableException.class).recoverWithNull();
    }

    private Uni<Held> acquire(String name) {
        return lock.acquire(name).map(handle -> new Held(handle, System.nanoTime()))
                .onFailure(LockUnavailableException.class).recoverWithNull();
    }

    /** Whether the last attempt to take a lock reached Redis. */
    public boolean redisAvailable() {
        return redisAvailable;
    }
}
