package io.membercard.card.card;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.card.config.CardConfig;
import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.config.CommonConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;

/**
 * Locks a card for a while after repeated wrong MACs, so that nobody can guess a card's secret at the till. The
 * counters live in Redis; if Redis is down the check is skipped (and counted), and a wrong MAC is still refused.
 */
@ApplicationScoped
public class MacGuard {
    private static final Logger LOG = Logger.getLogger(MacGuard.class);

    private final ReactiveRedisDataSource redis;
    private final CardConfig.MacLockout config;
    private final String prefix;
    private final Counter lockouts;
    private final Counter skipped;

    public MacGuard(ReactiveRedisDataSource redis, CardConfig cardConfig, CommonConfig commonConfig,
            MeterRegistry registry) {
        this.redis = redis;
        this.config = cardConfig.macLockout();
        this.prefix = commonConfig.redisKeyPrefix() + ":mac:";
        this.lockouts = registry.counter("membercard.card.mac.lockouts");
        this.skipped = registry.counter("membercard.card.mac.guard.unavailable");
    }

    /** What Redis knows of a card's wrong MACs. */
    public record State(boolean locked, boolean failures) {
        static final State NONE = new State(false, false);
    }

    /** Refuses a locked card with 601; answers whether wrong MACs are being counted (one round trip). */
    public Uni<State> checkNotLocked(long tenantId, long cardId) {
        return redis.execute("MGET", lockKey(tenantId, cardId), failKey(tenantId, cardId))
                .map(reply -> {
                    State state = reply == null
                            ? State.NONE
                            : new State(reply.get(0) != null, reply.get(1) != null);
                    if (state.locked()) {
                        throw new ApiException(StatusCode.CARD_UNUSABLE,
                                "card locked after repeated wrong card secrets; try again later");
                    }
                    return state;
                })
                .onFailure(e -> !(e instanceof ApiException)).recoverWithItem(e -> {
                    unavailable(e);
                    return State.NONE;
                });
    }

    /** Counts a wrong MAC; the one that reaches the limit locks the card. */
    public Uni<Void> recordFailure(long tenantId, long cardId) {
        String failures = failKey(tenantId, cardId);
        return redis.execute("INCR", failures)
                .flatMap(count -> {
                    long n = count.toLong();
                    if (n == 1) {
                        return redis.execute("PEXPIRE", failures, Long.toString(config.window().toMillis()))
                                .replaceWithVoid();
                    }
                    if (n >= config.maxFailures()) {
                        lockouts.increment();
                        LOG.warnf("card %d of tenant %d locked after %d wrong card secrets", cardId, tenantId, n);
                        return redis.execute("SET", lockKey(tenantId, cardId), "1", "PX",
                                Long.toString(config.duration().toMillis()))
                                .flatMap(ignored -> redis.execute("DEL", failures)).replaceWithVoid();
                    }
                    return Uni.createFrom().voidItem();
                })
                .onFailure().recoverWithItem(e -> {
                    unavailable(e);
                    return null;
                });
    }

    /** A right MAC clears the count of wrong ones, if there is one. */
    public Uni<Void> recordSuccess(long tenantId, long cardId, State state) {
        if (!state.failures()) {
            return Uni.createFrom().voidItem();
        }
        return redis.execute("DEL", failKey(tenantId, cardId)).replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    unavailable(e);
                    return null;
                });
    }

    private io.vertx.mutiny.redis.client.Response unavailable(Throwable e) {
        skipped.increment();
        LOG.warnf("MAC lockout check skipped, Redis unavailable: %s", e.getMessage());
        return null;
    }

    private String failKey(long tenantId, long cardId) {
        return prefix + "fail:" + tenantId + ":" + cardId;
    }

    private String lockKey(long tenantId, long cardId) {
        return prefix + "locked:" + tenantId + ":" + cardId;
    }
}
