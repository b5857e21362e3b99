package io.membercard.member.setting;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.api.ApiException;
import io.membercard.common.events.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The tenant's switches. Those that decide how card payments split between paid-in money and bonus are
 * payment-service's to apply: a change is published to it ({@code tenant.settings}) in the same transaction.
 */
@ApplicationScoped
public class SettingService {
    public static final String TENANT_SETTINGS = "tenant.settings";
    private static final Logger LOG = Logger.getLogger(SettingService.class);

    private final Pool pool;
    private final Outbox outbox;

    public SettingService(Pool pool, Outbox outbox) {
        this.pool = pool;
        this.outbox = outbox;
    }

    /** Every switch of the tenant, unset ones false. */
    public Uni<Map<SettingKey, Boolean>> all(SqlClient client, long tenantId) {
        return client.preparedQuery("select key, value from tenant_setting where tenant_id = $1")
                .execute(Tuple.of(tenantId))
                .map(rows -> {
                    Map<SettingKey, Boolean> values = new EnumMap<>(SettingKey.class);
                    for (SettingKey key : SettingKey.values()) {
                        values.put(key, false);
                    }
                    rows.forEach(row -> values.put(SettingKey.of((int) row.getShort(0)), row.getBoolean(1)));
                    return values;
                });
    }

    public Uni<List<SettingView>> list(long tenantId) {
        return all(pool, tenantId).map(values -> values.entrySet().stream()
                .map(e -> new SettingView(e.getKey().key(), e.getValue())).toList());
    }

    public Uni<Boolean> passwordRequired(long tenantId) {
        return all(pool, tenantId).map(values -> values.get(SettingKey.PASSWORD_REQUIRED));
    }

    /** Sets one switch; the payment order's two switches cannot both be on. */
    public Uni<Integer> save(long tenantId, SettingKey key, boolean value) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                insert into tenant_setting (tenant_id, key, value) values ($1, $2, $3)
                on conflict (tenant_id, key) do update set value = excluded.value, updated_at = now()""")
                .execute(Tuple.of(tenantId, (short) key.key(), value))
                .flatMap(ignored -> all(tx, tenantId))
                .flatMap(values -> {
                    if (values.get(SettingKey.ACTUAL_FIRST) && values.get(SettingKey.GIVE_FIRST)) {
                        return Uni.createFrom().failure(ApiException.badInput("value", "switch 2 (actual first) "
                                + "and switch 3 (bonus first) cannot both be on"));
                    }
                    if (key == SettingKey.PASSWORD_REQUIRED) {
                        return Uni.createFrom().voidItem();
                    }
                    String order = values.get(SettingKey.ACTUAL_FIRST)
                            ? "ACTUAL_FIRST"
                            : values.get(SettingKey.GIVE_FIRST) ? "GIVE_FIRST" : "PROPORTIONAL";
                    LOG.infof("tenant %d: card payments now split %s", tenantId, order);
                    return outbox.append(tx, tenantId, TENANT_SETTINGS, Long.toString(tenantId),
                            Map.of("splitOrder", order)).replaceWithVoid();
                })
                .replaceWith(key.key()));
    }

    /** A switch as S1-15 lists it. */
    public record SettingView(int key, boolean value) {
    }
}
