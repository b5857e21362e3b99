package io.membercard.common.limits;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.logging.LogText;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Every tenant's limits: its own value where it set one ({@link TenantLimitSource}: member-service), else the
 * platform default ({@link LimitsConfig}).
 * <p>
 * A tenant's values are kept in memory for {@code membercard.limits.cache-for} (30 s), so a change reaches every
 * service within that time; the requests of a tenant that arrive together wait for one answer. When the source
 * cannot answer, the last values known are kept, or the platform defaults apply (for a few seconds, then it is asked
 * again): a limit never falls back to "unlimited". A tenant's own value counts up to the platform default at most,
 * unless a platform admin set it ({@link LimitSetting#setByPlatform()}); nothing passes the limit's ceiling.
 */
@Startup
@ApplicationScoped
public class TenantLimits {
    private static final Logger LOG = Logger.getLogger(TenantLimits.class);
    /** How long defaults (or stale values) stand in for a source that did not answer, before it is asked again. */
    static final Duration FALLBACK_FOR = Duration.ofSeconds(5);
    /** How long one question to the source may take. */
    static final Duration ASK_TIMEOUT = Duration.ofSeconds(3);
    private static final int SWEEP_ABOVE = 10_000;
    private static final long LOG_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    private final TenantLimitSource source;
    private final LimitsConfig config;
    private final Map<Long, Cached> cache = new ConcurrentHashMap<>();
    private final AtomicLong lastFailureLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    public TenantLimits(TenantLimitSource source, LimitsConfig config) {
        this.source = source;
        this.config = config;
        for (Limit limit : Limit.values()) {
            long value = config.platformDefault(limit);
            if (value < 1 || value > limit.ceiling()) {
                throw new IllegalStateException("membercard.limits." + kebab(limit) + " is " + value + ": it must be "
                        + "from 1 to " + limit.ceiling());
            }
        }
    }

    /** The tenant's value of {@code limit}. */
    public Uni<Long> get(long tenantId, Limit limit) {
        return settings(tenantId).map(settings -> effective(limit, settings.get(limit)));
    }

    /** The tenant's value of every limit. */
    public Uni<Map<Limit, Long>> all(long tenantId) {
        return settings(tenantId).map(settings -> {
            Map<Limit, Long> values = new EnumMap<>(Limit.class);
            for (Limit limit : Limit.values()) {
                values.put(limit, effective(limit, settings.get(limit)));
            }
            return values;
        });
    }

    /** The platform default of {@code limit} ({@code membercard.limits.*}). */
    public long platformDefault(Limit limit) {
        return config.platformDefault(limit);
    }

    /** What a tenant's own setting amounts to: see the class comment. */
    public long effective(Limit limit, LimitSetting setting) {
        long platform = config.platformDefault(limit);
        if (setting == null) {
            return platform;
        }
        long most = setting.setByPlatform() ? limit.ceiling() : platform;
        return Math.max(1, Math.min(setting.value(), most));
    }

    /** Forgets what is kept of the tenant's limits (after a change here), so the next question asks the source. */
    public void evict(long tenantId) {
        cache.remove(tenantId);
    }

    private Uni<Map<Limit, LimitSetting>> settings(long tenantId) {
        long now = System.nanoTime();
        Cached kept = cache.get(tenantId);
        if (kept == null || !kept.freshAt(now)) {
            Cached asked = new Cached(kept == null ? null : kept.known());
            kept = cache.compute(tenantId, (id, old) -> old != null && old.freshAt(now) ? old : asked);
            if (kept == asked) {
                ask(tenantId, asked);
                if (cache.size() > SWEEP_ABOVE) {
                    cache.values().removeIf(c -> !c.freshAt(now));
                }
            }
        }
        CompletableFuture<Map<Limit, LimitSetting>> values = kept.values;
        if (values.isDone()) {
            return Uni.createFrom().item(values.join());
        }
        // Answered on the thread of whoever asked first: carry on on this request's own context.
        Context context = Vertx.currentContext();
        Uni<Map<Limit, LimitSetting>> answer = Uni.createFrom().completionStage(values);
        return context == null ? answer : answer.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }

    private void ask(long tenantId, Cached asked) {
        Uni<Map<Limit, LimitSetting>> question;
        try {
            question = source.tenantValues(tenantId);
        } catch (RuntimeException e) {
            question = Uni.createFrom().failure(e);
        }
        question.ifNoItem().after(ASK_TIMEOUT).fail().subscribe().with(
                values -> asked.answered(values, System.nanoTime() + config.cacheFor().toNanos()),
                failure -> {
                    long now = System.nanoTime();
                    long last = lastFailureLogged.get();
                    if (now - last >= LOG_EVERY_NANOS && lastFailureLogged.compareAndSet(last, now)) {
                        LOG.warnf("tenant %d: its limits could not be read (%s); %s apply until they can", tenantId,
                                LogText.error(failure), asked.previous == null
                                        ? "the platform defaults"
                                        : "the values read before");
                    }
                    asked.answered(asked.previous == null ? Map.of() : asked.previous,
                            now + FALLBACK_FOR.toNanos());
                });
    }

    private static String kebab(Limit limit) {
        return limit.wireName().replaceAll("([A-Z])", "-$1").toLowerCase();
    }

    /** A tenant's values, being asked for or answered, until {@code expiresAt}. */
    private static final class Cached {
        final CompletableFuture<Map<Limit, LimitSetting>> values = new CompletableFuture<>();
        /** The values answered before this question, to keep if it fails. */
        final Map<Limit, LimitSetting> previous;
        volatile long expiresAt = Long.MAX_VALUE;

        Cached(Map<Limit, LimitSetting> previous) {
            this.previous = previous;
        }

        boolean freshAt(long now) {
            return expiresAt == Long.MAX_VALUE || now - expiresAt < 0;
        }

        /** The values answered, or those before while the question is open. */
        Map<Limit, LimitSetting> known() {
            return values.isDone() ? values.join() : previous;
        }

        void answered(Map<Limit, LimitSetting> answer, long until) {
            expiresAt = until;
            values.complete(answer);
        }
    }
}
