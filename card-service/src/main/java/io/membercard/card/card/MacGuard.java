package io.membercard.card.card;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.card.config.CardConfig;
import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.config.CommonConfig;
import io.membercard.common.logging.LogText;
import io.membercard.common.security.Caller;
import io.membercard.common.security.Operator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;

/**
 * Limits guessing of card secrets (MACs), per card and per caller, on every path that takes one.
 * <p>
 * A guess is paid for before it is evaluated: one Redis script refuses a locked card or caller, counts the attempt
 * against the card (when the path names one) and against the caller (the token's tenant, user and shop), and locks
 * whichever went over its limit. The comparison runs only when the script allowed it, so fifty guesses at once get
 * at most the limit evaluated. A right MAC gives the attempt back. If Redis cannot answer, no MAC is evaluated at
 * all (601, "try again"): the lockout never fails open.
 */
@ApplicationScoped
public class MacGuard {
    private static final Logger LOG = Logger.getLogger(MacGuard.class);

    /**
     * KEYS: card failures, card lock, caller failures, caller lock. ARGV: whether a card is named, card limit, card
     * window ms, card lock ms, caller limit, caller window ms, caller lock ms. Answers 0 (evaluate), 1 (card locked)
     * or 2 (caller locked).
     */
    private static final String ATTEMPT = """
            if redis.call('EXISTS', KEYS[4]) == 1 then return 2 end
            local card = ARGV[1] == '1'
            if card and redis.call('EXISTS', KEYS[2]) == 1 then return 1 end
            local c = redis.call('INCR', KEYS[3])
            if c == 1 then redis.call('PEXPIRE', KEYS[3], ARGV[6]) end
            if c > tonumber(ARGV[5]) then
              redis.call('SET', KEYS[4], '1', 'PX', ARGV[7])
              redis.call('DEL', KEYS[3])
              return 2
            end
            if card then
              local n = redis.call('INCR', KEYS[1])
              if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
              if n > tonumber(ARGV[2]) then
                redis.call('SET', KEYS[2], '1', 'PX', ARGV[4])
                redis.call('DEL', KEYS[1])
                return 1
              end
            end
            return 0
            """;

    /** KEYS: card failures (or none), caller failures. A right MAC: the card's count starts again, the caller's attempt is given back. */
    private static final String SUCCESS = """
            if #KEYS == 2 then redis.call('DEL', KEYS[1]) end
            local k = KEYS[#KEYS]
            local c = tonumber(redis.call('GET', k) or '0')
            if c > 0 then redis.call('DECR', k) end
            return 0
            """;

    private final ReactiveRedisDataSource redis;
    private final CardConfig.MacLockout config;
    private final String prefix;
    private final Counter lockouts;
    private final Counter unavailable;

    public MacGuard(ReactiveRedisDataSource redis, CardConfig cardConfig, CommonConfig commonConfig,
            MeterRegistry registry) {
        this.redis = redis;
        this.config = cardConfig.macLockout();
        this.prefix = commonConfig.redisKeyPrefix() + ":mac:";
        this.lockouts = registry.counter("membercard.card.mac.lockouts");
        this.unavailable = registry.counter("membercard.card.mac.guard.unavailable");
    }

    /**
     * Who is guessing: the token's tenant, user and shop (a partner or a service names its own user). Null parts
     * are kept apart from real ones.
     */
    public record Guesser(long tenantId, String userId, Long shopId) {
        /** The caller of this request. */
        public static Guesser of(Caller caller) {
            return new Guesser(caller.tenantId(), caller.userId(), caller.shopId());
        }

        /** The operator of a change, at {@code shopId}. */
        public static Guesser of(Operator operator, Long shopId) {
            return new Guesser(operator.tenantId(), operator.userId(), shopId);
        }

        String key() {
            // {tenant}: every key of one script is in one hash slot, so the scripts also run on a Redis cluster.
            return "{" + tenantId + "}:" + (shopId == null ? "-" : shopId.toString()) + ":" + userId;
        }
    }

    /**
     * Pays for one evaluation of a MAC against card {@code cardId} (null: a look-up by MAC alone, counted against
     * the caller only). Refuses a locked card or caller (601), and fails closed when Redis cannot answer.
     */
    public Uni<Void> attempt(Guesser guesser, Long cardId) {
        long tenantId = guesser.tenantId();
        String window = Long.toString(config.window().toMillis());
        String lock = Long.toString(config.duration().toMillis());
        return redis.execute("EVAL", ATTEMPT, "4",
                cardId == null ? prefix + "none:{" + tenantId + "}" : failKey(tenantId, cardId),
                cardId == null ? prefix + "none:{" + tenantId + "}" : lockKey(tenantId, cardId),
                callerFailKey(guesser), callerLockKey(guesser),
                cardId == null ? "0" : "1", Integer.toString(config.maxFailures()), window, lock,
                Integer.toString(config.callerMaxFailures()), window, lock)
                .onFailure().transform(MacGuard.this::closed)
                .map(reply -> {
                    int answer = reply == null ? -1 : reply.toInteger();
                    if (answer == 1) {
                        lockouts.increment();
                        LOG.warnf("tenant %d card %d: locked after repeated wrong card secrets", tenantId, cardId);
                        throw new ApiException(StatusCode.CARD_UNUSABLE,
                                "card locked after repeated wrong card secrets; try again later");
                    }
                    if (answer == 2) {
                        lockouts.increment();
                        LOG.warnf("tenant %d shop %s user %s: card secrets refused after repeated wrong ones",
                                tenantId, guesser.shopId(), LogText.bounded(guesser.userId()));
                        throw new ApiException(StatusCode.CARD_UNUSABLE,
                                "too many wrong card secrets from this user; try again later");
                    }
                    if (answer != 0) {
                        throw closed(new IllegalStateException("unexpected answer " + reply));
                    }
                    return null;
                });
    }

    /** A right MAC: the card's count starts again and the caller's attempt is given back. */
    public Uni<Void> succeeded(Guesser guesser, Long cardId) {
        String[] args = cardId == null
                ? new String[]{SUCCESS, "1", callerFailKey(guesser)}
                : new String[]{SUCCESS, "2", failKey(guesser.tenantId(), cardId), callerFailKey(guesser)};
        return redis.execute("EVAL", args).replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    // The guess was paid for already; not giving it back only makes the limit stricter.
                    LOG.warnf("MAC lockout: a right card secret could not be credited back: %s", e.getMessage());
                    return null;
                });
    }

    /** KEYS: the caller's new-MAC count. ARGV: limit, window ms. Answers 1 when over the limit. */
    private static final String NEW_MAC = """
            local c = redis.call('INCR', KEYS[1])
            if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            if c > tonumber(ARGV[1]) then return 1 end
            return 0
            """;

    /**
     * Pays for giving a card a new MAC (writing, rewriting, replacing onto a blank card). A MAC another card has is
     * refused, which tells the caller that it exists: new MACs have a budget per caller of their own that is never
     * given back, and a collision locks the caller ({@link #collision}). Fails closed.
     */
    public Uni<Void> newMac(Guesser guesser) {
        return redis.execute("EVAL", NEW_MAC, "1", prefix + "new:" + guesser.key(),
                Integer.toString(config.callerMaxNewMacs()), Long.toString(config.window().toMillis()))
                .onFailure().transform(this::closed)
                .map(reply -> {
                    if (reply == null || reply.toInteger() != 0) {
                        throw new ApiException(StatusCode.CARD_UNUSABLE,
                                "too many cards written by this user; try again later");
                    }
                    return null;
                });
    }

    /**
     * A new MAC was another card's: real chips' MACs do not collide, so this is a caller trying secrets. The caller
     * is locked out of card secrets for the lock time, and the event is logged for the merchant.
     */
    public Uni<Void> collision(Guesser guesser) {
        lockouts.increment();
        LOG.warnf("security: tenant %d shop %s user %s wrote a card secret another card has; the user is locked out "
                + "of card secrets", guesser.tenantId(), guesser.shopId(), LogText.bounded(guesser.userId()));
        return redis.execute("SET", callerLockKey(guesser), "1", "PX", Long.toString(config.duration().toMillis()))
                .replaceWithVoid().onFailure().recoverWithNull();
    }

    /** Refuses a caller locked out of card secrets (601), without paying for a guess. Fails closed. */
    public Uni<Void> callerNotLocked(Guesser guesser) {
        return redis.execute("EXISTS", callerLockKey(guesser))
                .onFailure().transform(this::closed)
                .map(reply -> {
                    if (reply != null && reply.toLong() == 1) {
                        throw new ApiException(StatusCode.CARD_UNUSABLE,
                                "too many wrong card secrets from this user; try again later");
                    }
                    return null;
                });
    }

    /** Refuses a card locked after wrong MACs, without paying for a guess (a card found by its MAC). */
    public Uni<Void> notLocked(long tenantId, long cardId) {
        return redis.execute("EXISTS", lockKey(tenantId, cardId))
                .onFailure().transform(this::closed)
                .map(reply -> {
                    if (reply != null && reply.toLong() == 1) {
                        throw new ApiException(StatusCode.CARD_UNUSABLE,
                                "card locked after repeated wrong card secrets; try again later");
                    }
                    return null;
                });
    }

    private ApiException closed(Throwable e) {
        if (e instanceof ApiException api) {
            return api;
        }
        unavailable.increment();
        LOG.warnf("MAC lockout unavailable (Redis): %s; card secrets are refused until it answers", e.getMessage());
        return new ApiException(StatusCode.CARD_UNUSABLE,
                "card secrets cannot be checked at the moment; try again in a minute");
    }

    private String failKey(long tenantId, long cardId) {
        return prefix + "fail:{" + tenantId + "}:" + cardId;
    }

    private String lockKey(long tenantId, long cardId) {
        return prefix + "locked:{" + tenantId + "}:" + cardId;
    }

    private String callerFailKey(Guesser guesser) {
        return prefix + "caller-fail:" + guesser.key();
    }

    private String callerLockKey(Guesser guesser) {
        return prefix + "caller-locked:" + guesser.key();
    }
}
