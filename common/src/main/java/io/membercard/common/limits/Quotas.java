package io.membercard.common.limits;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.config.CommonConfig;
import io.membercard.common.logging.LogText;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;

/**
 * A tenant's daily quotas ({@link Limit.Period#DAY}: batch-order cards, partner cards, uploads), counted in Redis per
 * tenant and day of the platform's zone ({@code membercard.common.time-zone}, Asia/Shanghai).
 * <p>
 * Work takes its amount before it changes anything ({@link #take}): one Lua script checks and adds in one step, so
 * requests at the same moment can never pass the limit together, and a refused request counts nothing. Work that
 * then fails gives its amount back ({@link #giveBack}). When Redis cannot answer, the work is refused (500, try
 * again): a quota never fails open. Keys carry the tenant as a hash tag and expire after two days.
 */
@ApplicationScoped
public class Quotas {
    private static final Logger LOG = Logger.getLogger(Quotas.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final long KEEP_MS = Duration.ofDays(2).toMillis();

    /** KEYS: the day's count. ARGV: amount, limit, ms to keep. Answers {1, used} when taken, {0, used} when refused. */
    private static final String TAKE = """
            local used = tonumber(redis.call('GET', KEYS[1]) or '0')
            local amount = tonumber(ARGV[1])
            if used + amount > tonumber(ARGV[2]) then return {0, used} end
            used = redis.call('INCRBY', KEYS[1], amount)
            if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
            return {1, used}
            """;

    /** KEYS: the day's count. ARGV: amount. Never below zero, never a count that was not there. */
    private static final String GIVE_BACK = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            local left = redis.call('DECRBY', KEYS[1], ARGV[1])
            if left < 0 then redis.call('INCRBY', KEYS[1], -left) end
            return left
            """;

    private final ReactiveRedisDataSource redis;
    private final TenantLimits limits;
    private final ZoneId zone;
    private final String prefix;
    private final Counter refused;
    private final Counter unavailable;

    public Quotas(ReactiveRedisDataSource redis, TenantLimits limits, CommonConfig config, MeterRegistry registry) {
        this.redis = redis;
        this.limits = limits;
        this.zone = ZoneId.of(config.timeZone());
        this.prefix = config.redisKeyPrefix() + ":quota:";
        this.refused = registry.counter("membercard.limits.quota.refused");
        this.unavailable = registry.counter("membercard.limits.quota.unavailable");
    }

    /**
     * What {@link #take} counted: give it back with {@link #giveBack} if the work fails. It names its day, so that
     * work that fails after midnight gives back to the day it was counted on.
     */
    public record Taken(long tenantId, Limit limit, long amount, LocalDate day) {
        /** Nothing was counted (an amount of 0). */
        public boolean nothing() {
            return amount <= 0;
        }
    }

    /**
     * Counts {@code amount} against the tenant's {@code limit} today, or refuses with {@link LimitExceeded} (429,
     * naming the limit, what is left today and when it starts again) and counts nothing. Fails with 500 when Redis
     * cannot answer. {@code limit} must be a daily one.
     */
    public Uni<Taken> take(long tenantId, Limit limit, long amount) {
        if (limit.period() != Limit.Period.DAY) {
            throw new IllegalArgumentException(limit + " is not a daily quota");
        }
        LocalDate day = LocalDate.now(zone);
        if (amount <= 0) {
            return Uni.createFrom().item(new Taken(tenantId, limit, 0, day));
        }
        return limits.get(tenantId, limit).flatMap(most -> redis.execute("EVAL", TAKE, "1", key(tenantId, limit, day),
                Long.toString(amount), Long.toString(most), Long.toString(KEEP_MS))
                .onFailure().transform(e -> closed(tenantId, limit, e))
                .map(reply -> {
                    if (reply == null || reply.size() != 2) {
                        throw closed(tenantId, limit, new IllegalStateException("unexpected answer " + reply));
                    }
                    if (reply.get(0).toLong() == 1) {
                        return new Taken(tenantId, limit, amount, day);
                    }
                    refused.increment();
                    long left = Math.max(0, most - reply.get(1).toLong());
                    LOG.infof("tenant %d: %s refused: %d asked, %d of %d left today", tenantId, limit.wireName(),
                            amount, left, most);
                    throw exceeded(limit, most, left, amount);
                }));
    }

    /** Gives back what {@link #take} counted, for work that failed. Best effort: a failure here is only logged. */
    public Uni<Void> giveBack(Taken taken) {
        if (taken == null || taken.nothing()) {
            return Uni.createFrom().voidItem();
        }
        return redis.execute("EVAL", GIVE_BACK, "1", key(taken.tenantId(), taken.limit(), taken.day()),
                Long.toString(taken.amount())).replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    // Not giving back only makes the day's quota stricter.
                    LOG.warnf("tenant %d: %d of %s could not be given back (Redis): %s", taken.tenantId(),
                            taken.amount(), taken.limit().wireName(), LogText.error(e));
                    return null;
                });
    }

    /** How much of the tenant's {@code limit} is used today; null when Redis cannot answer. */
    public Uni<Long> usedToday(long tenantId, Limit limit) {
        return redis.execute("GET", key(tenantId, limit, LocalDate.now(zone)))
                .map(reply -> reply == null ? 0L : reply.toLong())
                .onFailure().recoverWithNull();
    }

    private LimitExceeded exceeded(Limit limit, long most, long left, long amount) {
        ZonedDateTime now = ZonedDateTime.now(zone);
        ZonedDateTime midnight = now.toLocalDate().plusDays(1).atStartOfDay(zone);
        long seconds = Math.max(1, Duration.between(now, midnight).toSeconds());
        String in = seconds >= 3600
                ? seconds / 3600 + " h " + seconds % 3600 / 60 + " min"
                : Math.max(1, (seconds + 59) / 60) + " min";
        return new LimitExceeded(limit, "daily limit " + limit.wireName() + " reached: this tenant's limit is " + most
                + " " + limit.what() + ", " + left + " left today, and this request needs " + amount
                + "; nothing was done. The count starts again at 00:00 (" + zone.getId() + "), in " + in, seconds);
    }

    private ApiException closed(long tenantId, Limit limit, Throwable e) {
        if (e instanceof ApiException api) {
            return api;
        }
        unavailable.increment();
        LOG.warnf("tenant %d: %s cannot be counted (Redis): %s; such work is refused until it answers", tenantId,
                limit.wireName(), LogText.error(e));
        return new ApiException(StatusCode.INTERNAL, "daily limits cannot be counted at the moment; nothing was "
                + "done, try again in a minute");
    }

    private String key(long tenantId, Limit limit, LocalDate day) {
        // {tenant}: every key of a tenant is in one hash slot, as the MAC lockout's are.
        return prefix + "{" + tenantId + "}:" + limit.wireName() + ":" + DAY.format(day);
    }
}
