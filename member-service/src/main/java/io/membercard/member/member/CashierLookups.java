package io.membercard.member.member;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.config.CommonConfig;
import io.membercard.member.config.MemberConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;

/**
 * What one cashier (token user, shop and tenant) may look up, kept in Redis: how many member look-ups it made this
 * minute (at most {@code membercard.member.cashier.lookups-per-minute}), and which members of other shops it found
 * by a whole key (readable by id for {@code membercard.member.cashier.found-for}).
 * <p>
 * A look-up is paid for before anything is read: one Redis script counts it and starts the minute's window, and a
 * look-up over the limit is refused with 429. When Redis cannot answer, cashiers' look-ups are refused (500, "try
 * again"): the limit never fails open. Managers and admins are not counted.
 */
@ApplicationScoped
public class CashierLookups {
    private static final Logger LOG = Logger.getLogger(CashierLookups.class);
    private static final long WINDOW_MS = 60_000;

    /** KEYS: the cashier's counter. ARGV: window ms. Answers {count, ms left in the window}. */
    private static final String COUNT = """
            local n = redis.call('INCR', KEYS[1])
            local ttl = redis.call('PTTL', KEYS[1])
            if n == 1 or ttl < 0 then
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
              ttl = tonumber(ARGV[1])
            end
            return {n, ttl}
            """;

    /** KEYS: one per member found. ARGV: how long each is remembered, ms. */
    private static final String REMEMBER = """
            for _, key in ipairs(KEYS) do redis.call('SET', key, '1', 'PX', ARGV[1]) end
            return #KEYS
            """;

    private final ReactiveRedisDataSource redis;
    private final int limit;
    private final long foundForMs;
    private final String prefix;
    private final Counter refused;
    private final Counter unavailable;

    public CashierLookups(ReactiveRedisDataSource redis, MemberConfig config, CommonConfig common,
            MeterRegistry registry) {
        this.redis = redis;
        this.limit = config.cashier().lookupsPerMinute();
        this.foundForMs = config.cashier().foundFor().toMillis();
        this.prefix = common.redisKeyPrefix() + ":member:";
        this.refused = registry.counter("membercard.member.cashier.lookups.refused");
        this.unavailable = registry.counter("membercard.member.cashier.lookups.unavailable");
    }

    /** Pays for one look-up by {@code till}; fails with {@link TooManyLookups} over the limit, before any read. */
    public Uni<Void> count(Till till) {
        return redis.execute("EVAL", COUNT, "1", countKey(till), Long.toString(WINDOW_MS))
                .onFailure().transform(this::closed)
                .map(reply -> {
                    if (reply == null || reply.size() != 2) {
                        throw closed(new IllegalStateException("unexpected answer " + reply));
                    }
                    long made = reply.get(0).toLong();
                    if (made > limit) {
                        refused.increment();
                        if (made == limit + 1L) {
                            LOG.warnf("tenant %d shop %d user %s: more than %d member look-ups in a minute; refused "
                                    + "until the minute ends", till.tenantId(), till.shopId(), bounded(till.userId()),
                                    limit);
                        }
                        throw new TooManyLookups(limit, reply.get(1).toLong());
                    }
                    return null;
                });
    }

    /** Remembers that {@code till} found members {@code ids} by a whole key (best effort: failing only forgets). */
    public Uni<Void> remember(Till till, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> args = new ArrayList<>();
        args.add(REMEMBER);
        args.add(Integer.toString(ids.size()));
        ids.forEach(id -> args.add(foundKey(till, id)));
        args.add(Long.toString(foundForMs));
        return redis.execute("EVAL", args.toArray(String[]::new)).replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("members found by a till could not be remembered (Redis): %s", e.getMessage());
                    return null;
                });
    }

    /** Whether {@code till} found member {@code id} by a whole key lately; fails closed when Redis cannot answer. */
    public Uni<Boolean> found(Till till, long id) {
        return redis.execute("EXISTS", foundKey(till, id)).onFailure().transform(this::closed)
                .map(reply -> reply != null && reply.toLong() == 1);
    }

    private String countKey(Till till) {
        return prefix + "lookups:" + till.tenantId() + ":" + till.shopId() + ":" + till.userId();
    }

    private String foundKey(Till till, long memberId) {
        return prefix + "found:" + till.tenantId() + ":" + till.shopId() + ":" + memberId + ":" + till.userId();
    }

    private ApiException closed(Throwable e) {
        if (e instanceof ApiException api) {
            return api;
        }
        unavailable.increment();
        LOG.warnf("cashiers' member look-ups cannot be counted (Redis): %s; they are refused until it answers",
                e.getMessage());
        return new ApiException(StatusCode.INTERNAL,
                "member look-ups cannot be counted at the moment; nothing was read, try again in a minute");
    }

    /** A user id as a log field: printable, at most 64 characters. */
    static String bounded(String text) {
        if (text == null) {
            return "-";
        }
        String printable = text.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() > 64 ? printable.substring(0, 64) + "…" : printable;
    }
}
