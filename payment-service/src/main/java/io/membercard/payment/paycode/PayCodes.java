package io.membercard.payment.paycode;

import java.security.SecureRandom;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.common.config.CommonConfig;
import io.membercard.payment.config.PaymentConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;

/**
 * Dynamic pay codes (付款码): 18 digits standing for one card for a short while (60 s by default), in Redis. A
 * payment reserves the code for its order while it runs (a second till showing the same code is refused), spends it
 * when it succeeds and frees it when it fails; the database lets a code pay once whatever happens here.
 */
@ApplicationScoped
public class PayCodes {
    private static final int ATTEMPTS = 5;
    /** KEYS: the code, its claim; ARGV: the order. The claim lives as long as the code. */
    private static final String CLAIM = """
            local ttl = redis.call('pttl', KEYS[1])
            if ttl <= 0 then return 0 end
            local holder = redis.call('get', KEYS[2])
            if holder and holder ~= ARGV[1] then return 0 end
            redis.call('set', KEYS[2], ARGV[1], 'PX', ttl)
            return 1""";
    private static final String SPEND = """
            if redis.call('get', KEYS[2]) == ARGV[1] then
              redis.call('del', KEYS[1])
              redis.call('del', KEYS[2])
            end
            return 1""";
    private static final String RELEASE = """
            if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end
            return 1""";

    private final ReactiveRedisDataSource redis;
    private final String prefix;
    private final long ttlMillis;
    private final SecureRandom random = new SecureRandom();

    public PayCodes(ReactiveRedisDataSource redis, CommonConfig common, PaymentConfig config) {
        this.redis = redis;
        this.prefix = common.redisKeyPrefix() + ":paycode:";
        this.ttlMillis = config.payCode().ttl().toMillis();
    }

    /** The card a code stands for. */
    public record Holder(long tenantId, long cardId, String cardCode) {
    }

    /** A new code for the card. */
    public Uni<String> issue(Holder holder) {
        return attempt(holder, 0);
    }

    private Uni<String> attempt(Holder holder, int attempt) {
        String code = newCode();
        String value = holder.tenantId() + "|" + holder.cardId() + "|" + holder.cardCode();
        return redis.execute("SET", prefix + code, value, "NX", "PX", Long.toString(ttlMillis)).flatMap(reply -> {
            if (reply != null && "OK".equals(reply.toString())) {
                return Uni.createFrom().item(code);
            }
            if (attempt + 1 >= ATTEMPTS) {
                return Uni.createFrom().failure(new IllegalStateException("no free pay code"));
            }
            return attempt(holder, attempt + 1);
        });
    }

    /** The card {@code code} stands for, without spending it; null when it expired, was used or never existed. */
    public Uni<Holder> peek(String code) {
        return redis.execute("GET", prefix + code).map(reply -> {
            if (reply == null) {
                return null;
            }
            String[] parts = reply.toString().split("\\|", 3);
            return new Holder(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]);
        });
    }

    /**
     * Reserves {@code code} for the payment of {@code order} while it runs, for as long as the code lives: answers
     * false when the code is gone or another order holds it (a second till showing the same code).
     */
    public Uni<Boolean> claim(String code, String order) {
        return redis.execute("EVAL", CLAIM, "2", prefix + code, prefix + code + ":claim", order)
                .map(reply -> reply != null && reply.toInteger() == 1);
    }

    /** The payment of {@code order} succeeded: the code is spent. */
    public Uni<Void> spend(String code, String order) {
        return redis.execute("EVAL", SPEND, "2", prefix + code, prefix + code + ":claim", order).replaceWithVoid();
    }

    /** The payment of {@code order} failed: the code can pay again (until it expires). */
    public Uni<Void> release(String code, String order) {
        return redis.execute("EVAL", RELEASE, "1", prefix + code + ":claim", order).replaceWithVoid();
    }

    public long ttlSeconds() {
        return ttlMillis / 1000;
    }

    private String newCode() {
        StringBuilder code = new StringBuilder(18);
        code.append(1 + random.nextInt(9));
        for (int i = 1; i < 18; i++) {
            code.append(random.nextInt(10));
        }
        return code.toString();
    }
}
