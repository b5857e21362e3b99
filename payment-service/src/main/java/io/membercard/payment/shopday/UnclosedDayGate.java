package io.membercard.payment.shopday;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.days.DaySettings;
import io.membercard.common.days.DaySettings.UnclosedDay;
import io.membercard.common.events.Event;
import io.membercard.common.events.EventHandler;
import io.membercard.common.security.Operator;
import io.membercard.payment.settings.TenantDaySettings;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What a shop's money operations get while its previous business day (the last day before today's with entries of
 * the shop) is not closed, as the tenant chose ({@code unclosedDay}): nothing, a warning in the answer's
 * {@code message}, or 901, which a manager's own operations and a manager's allowance for that day let through (with
 * the warning). Asked before a command runs, never for a replay (a till that retries gets what it got first), and
 * never inside the money transaction. The day's state comes from settlement-service's {@code day.state} events (kept in
 * {@code shop_day_state}); what a shop's previous day is, is kept in memory for {@link #TTL}.
 */
@ApplicationScoped
public class UnclosedDayGate implements EventHandler {
    public static final String DAY_STATE = "day.state";
    static final long TTL = java.time.Duration.ofSeconds(5).toNanos();

    private final Pool pool;
    private final TenantDaySettings settings;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /** A shop's previous day as found: null when there is none or it is closed. */
    private record Unclosed(LocalDate date, boolean allowed) {
    }

    private record Cached(LocalDate today, Unclosed unclosed, long until) {
    }

    public UnclosedDayGate(Pool pool, TenantDaySettings settings) {
        this.pool = pool;
        this.settings = settings;
    }

    /** The warning for the answer (null: none), or a failure with 901 when the operation is refused. */
    public Uni<String> check(Operator operator, Long shopId) {
        if (shopId == null) {
            return Uni.createFrom().nullItem();
        }
        return settings.of(pool, operator.tenantId()).flatMap(days -> {
            if (days.unclosedDay() == UnclosedDay.NONE) {
                return Uni.createFrom().nullItem();
            }
            return unclosed(operator.tenantId(), shopId, days).map(day -> {
                if (day == null) {
                    return null;
                }
                String warning = "shop " + shopId + " has not closed its business day " + day.date() + " yet";
                if (days.unclosedDay() == UnclosedDay.WARN || operator.manager() || day.allowed()) {
                    return warning;
                }
                throw new ApiException(StatusCode.DAY_NOT_CLOSED, warning + ": close it (dayclose), or a manager "
                        + "lets the shop trade on (allowtrading); nothing was changed");
            });
        });
    }

    private Uni<Unclosed> unclosed(long tenantId, long shopId, DaySettings days) {
        Instant now = Instant.now();
        LocalDate today = days.holding(now);
        String key = tenantId + ":" + shopId;
        Cached cached = cache.get(key);
        if (cached != null && cached.today().equals(today) && cached.until() > System.nanoTime()) {
            return Uni.createFrom().item(cached.unclosed());
        }
        return pool.preparedQuery("""
                select max(created_at) from ledger_entry
                where tenant_id = $1 and shop_id = $2 and created_at < $3""")
                .execute(Tuple.of(tenantId, shopId, days.start(today).atOffset(ZoneOffset.UTC)))
                .flatMap(rows -> {
                    var last = rows.iterator().next().getOffsetDateTime(0);
                    if (last == null) {
                        return Uni.createFrom().<Unclosed>nullItem();
                    }
                    LocalDate previous = days.holding(last.toInstant());
                    return pool.preparedQuery("""
                            select closed, allowed from shop_day_state
                            where tenant_id = $1 and shop_id = $2 and business_date = $3""")
                            .execute(Tuple.of(tenantId, shopId, previous))
                            .map(state -> {
                                var row = state.iterator().hasNext() ? state.iterator().next() : null;
                                return row != null && row.getBoolean("closed")
                                        ? null
                                        : new Unclosed(previous, row != null && row.getBoolean("allowed"));
                            });
                })
                .invoke(found -> cache.put(key, new Cached(today, found, System.nanoTime() + TTL)));
    }

    @Override
    public boolean handles(String type) {
        return DAY_STATE.equals(type);
    }

    /** Keeps the shop-day's state unless a newer one is kept already. */
    @Override
    public Uni<Void> handle(SqlConnection tx, Event event) {
        var payload = event.payload();
        if (!payload.path("shopId").canConvertToLong() || !payload.path("date").isTextual()
                || !payload.path("revision").canConvertToLong()) {
            return Uni.createFrom().voidItem();
        }
        long shopId = payload.path("shopId").asLong();
        return tx.preparedQuery("""
                insert into shop_day_state (tenant_id, shop_id, business_date, closed, allowed, revision)
                values ($1, $2, $3, $4, $5, $6)
                on conflict (tenant_id, shop_id, business_date) do update
                set closed = excluded.closed, allowed = excluded.allowed, revision = excluded.revision
                where shop_day_state.revision < excluded.revision""")
                .execute(Tuple.of(event.tenantId(), shopId, LocalDate.parse(payload.path("date").asText()),
                        payload.path("closed").asBoolean(), payload.path("allowed").asBoolean(),
                        payload.path("revision").asLong()))
                .invoke(() -> cache.remove(event.tenantId() + ":" + shopId))
                .replaceWithVoid();
    }
}
