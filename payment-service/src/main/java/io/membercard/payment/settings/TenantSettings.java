package io.membercard.payment.settings;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.payment.config.PaymentConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A tenant's payment settings (member-service's settings page sets them; see SettingsResource). Kept in memory for
 * {@link #TTL}: another instance sees a change at most that late.
 */
@ApplicationScoped
public class TenantSettings {
    static final Duration TTL = Duration.ofSeconds(10);

    private final SplitOrder defaultOrder;
    private final Map<Long, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(SplitOrder order, long until) {
    }

    public TenantSettings(PaymentConfig config) {
        this.defaultOrder = SplitOrder.valueOf(config.defaultSplitOrder());
    }

    public Uni<SplitOrder> splitOrder(SqlClient client, long tenantId) {
        Cached cached = cache.get(tenantId);
        if (cached != null && cached.until() > System.nanoTime()) {
            return Uni.createFrom().item(cached.order());
        }
        return client.preparedQuery("select split_order from tenant_setting where tenant_id = $1")
                .execute(Tuple.of(tenantId))
                .map(rows -> {
                    SplitOrder order = rows.iterator().hasNext()
                            ? SplitOrder.valueOf(rows.iterator().next().getString(0))
                            : defaultOrder;
                    cache.put(tenantId, new Cached(order, System.nanoTime() + TTL.toNanos()));
                    return order;
                });
    }

    /**
     * Sets the tenant's payment order as it was decided {@code at}; an older decision arriving late (a settings event
     * sent again by an operator, say) does not undo a newer one.
     */
    public Uni<Void> setSplitOrder(SqlClient client, long tenantId, SplitOrder order, java.time.Instant at) {
        return client.preparedQuery("""
                insert into tenant_setting (tenant_id, split_order, decided_at) values ($1, $2, $3)
                on conflict (tenant_id) do update set split_order = excluded.split_order,
                       decided_at = excluded.decided_at
                where tenant_setting.decided_at is null or tenant_setting.decided_at <= excluded.decided_at""")
                .execute(Tuple.of(tenantId, order.name(), at.atOffset(java.time.ZoneOffset.UTC)))
                .invoke(() -> cache.remove(tenantId))
                .replaceWithVoid();
    }
}
