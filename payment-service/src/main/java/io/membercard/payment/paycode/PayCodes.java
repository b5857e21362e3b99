package io.membercard.payment.paycode;

import java.security.SecureRandom;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.common.config.CommonConfig;
import io.membercard.payment.config.PaymentConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;

/**
 * Dynamic pay codes (付款码): 18 digits standing for one card for a short while (60 s by default), in Redis. A code
 * is spent by reading and deleting it in one step ({@code GETDEL}), so it pays at most once.
 */
@ApplicationScoped
public class PayCodes {
    private static final int ATTEMPTS = 5;

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

    /** The card {@code code} stands for, spending the code; null when it expired, was used, or never existed. */
    public Uni<Holder> spend(String code) {
        return redis.execute("GETDEL", prefix + code).map(reply -> {
            if (reply == null) {
                return null;
            }
            String[] parts = reply.toString().split("\\|", 3);
            return new Holder(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]);
        });
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
