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

    public Uni<Void> setSplitOrder(SqlClient client, long tenantId, SplitOrder order) {
        return client.preparedQuery("""
                insert into tenant_setting (tenant_id, split_order) values ($1, $2)
                on conflict (tenant_id) do update set split_order = excluded.split_order""")
                .execute(Tuple.of(tenantId, order.name()))
                .invoke(() -> cache.remove(tenantId))
                .replaceWithVoid();
    }
}
