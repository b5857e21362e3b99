package io.membercard.payment.account;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.lock.LockUnavailableException;
import io.membercard.common.lock.RedisLock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * The Redis lock in front of every balance change. When Redis cannot be reached, changes go on under the
 * database's row lock alone (which fences every change anyway): counted in
 * {@code membercard_payment_lock_degraded_total} and reported by the readiness check "Redis (balance locks)".
 */
@ApplicationScoped
public class AccountLock {
    private static final Logger LOG = Logger.getLogger(AccountLock.class);

    private final RedisLock lock;
    private final Counter degraded;
    private volatile boolean redisAvailable = true;

    public AccountLock(RedisLock lock, MeterRegistry registry) {
        this.lock = lock;
        this.degraded = registry.counter("membercard.payment.lock.degraded");
    }

    /**
     * Runs {@code work} under the card's lock, or under database locking alone while Redis is down. Requests of
     * this instance for the same card queue here first, so only instances contend for the Redis lock.
     */
    public <T> Uni<T> guard(AccountRef ref, Supplier<Uni<? extends T>> work) {
        String name = "account:" + ref.tenantId() + ":" + ref.cardId();
        return lock.localQueue().run(name, () -> lockAndRun(name, work));
    }

    private <T> Uni<T> lockAndRun(String name, Supplier<Uni<? extends T>> work) {
        return lock.acquire(name)
                .onFailure(LockUnavailableException.class).recoverWithNull()
                .flatMap(handle -> {
                    if (handle == null) {
                        degraded.increment();
                        if (redisAvailable) {
                            LOG.warn("Redis unavailable: balance changes continue under database locks only");
                        }
                        redisAvailable = false;
                        return Uni.createFrom().<T>deferred(work);
                    }
                    redisAvailable = true;
                    return Uni.createFrom().<T>deferred(work)
                            .onTermination().call(() -> lock.release(handle).onFailure().recoverWithNull());
                });
    }

    /** Whether the last attempt to take a lock reached Redis. */
    public boolean redisAvailable() {
        return redisAvailable;
    }
}
