package io.membercard.member.setting;

import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.common.limits.Limit;
import io.membercard.common.limits.LimitSetting;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The tenants' own limits ({@code tenant_limit}): a limit without a row follows the platform default. */
@ApplicationScoped
public class TenantLimitRepository {

    /** The limits the tenant set; a name this version does not know (a newer one wrote it) is left out. */
    public Uni<Map<Limit, LimitSetting>> findByTenant(SqlClient client, long tenantId) {
        return client.preparedQuery("select name, value, set_by_platform from tenant_limit where tenant_id = $1")
                .execute(Tuple.of(tenantId))
                .map(rows -> {
                    Map<Limit, LimitSetting> values = new EnumMap<>(Limit.class);
                    for (Row row : rows) {
                        for (Limit limit : Limit.values()) {
                            if (limit.wireName().equals(row.getString(0))) {
                                values.put(limit, new LimitSetting(limit.wireName(), row.getLong(1),
                                        row.getBoolean(2)));
                            }
                        }
                    }
                    return values;
                });
    }

    /** Sets the tenant's own value of {@code limit}. */
    public Uni<Void> save(SqlClient client, long tenantId, Limit limit, long value, boolean setByPlatform,
            String updatedBy) {
        return client.preparedQuery("""
                insert into tenant_limit (tenant_id, name, value, set_by_platform, updated_by)
                values ($1, $2, $3, $4, $5)
                on conflict (tenant_id, name) do update set value = excluded.value,
                    set_by_platform = excluded.set_by_platform, updated_by = excluded.updated_by, updated_at = now()""")
                .execute(Tuple.from(new Object[]{tenantId, limit.wireName(), value, setByPlatform, updatedBy}))
                .replaceWithVoid();
    }

    /** Removes the tenant's own value: the limit follows the platform default again. */
    public Uni<Void> remove(SqlClient client, long tenantId, Limit limit) {
        return client.preparedQuery("delete from tenant_limit where tenant_id = $1 and name = $2")
                .execute(Tuple.of(tenantId, limit.wireName())).replaceWithVoid();
    }
}
