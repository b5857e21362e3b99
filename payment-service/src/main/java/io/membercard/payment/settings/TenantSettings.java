package io.membercard.payment.settings;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.payment.config.PaymentConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** A tenant's payment settings (member-service's settings page sets them; see SettingsResource). */
@ApplicationScoped
public class TenantSettings {
    private final SplitOrder defaultOrder;

    public TenantSettings(PaymentConfig config) {
        this.defaultOrder = SplitOrder.valueOf(config.defaultSplitOrder());
    }

    public Uni<SplitOrder> splitOrder(SqlClient client, long tenantId) {
        return client.preparedQuery("select split_order from tenant_setting where tenant_id = $1")
                .execute(Tuple.of(tenantId))
                .map(rows -> rows.iterator().hasNext()
                        ? SplitOrder.valueOf(rows.iterator().next().getString(0))
                        : defaultOrder);
    }

    public Uni<Void> setSplitOrder(SqlClient client, long tenantId, SplitOrder order) {
        return client.preparedQuery("""
                insert into tenant_setting (tenant_id, split_order) values ($1, $2)
                on conflict (tenant_id) do update set split_order = excluded.split_order""")
                .execute(Tuple.of(tenantId, order.name()))
                .replaceWithVoid();
    }
}
