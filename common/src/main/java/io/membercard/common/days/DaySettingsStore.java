package io.membercard.common.days;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.membercard.common.events.Event;
import io.membercard.common.events.EventHandler;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A service's copy of its tenants' {@link DaySettings} (table {@code tenant_day_setting} in its own schema), kept from
 * member-service's {@code tenant.dayclose} events: the newest decision wins, whatever order events come in. A tenant
 * without a row has the platform's settings. Kept in memory for {@link #TTL}: another instance sees a change at most
 * that late. Each service that needs the settings has its bean of this class.
 */
public abstract class DaySettingsStore implements EventHandler {
    static final Duration TTL = Duration.ofSeconds(10);

    private final DaySettings defaults;
    private final ObjectMapper mapper;
    private final Map<Long, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(DaySettings settings, long until) {
    }

    protected DaySettingsStore(LocalTime cutOff, String zone, ObjectMapper mapper) {
        this.defaults = DaySettings.defaults(cutOff, ZoneId.of(zone));
        this.mapper = mapper;
    }

    /** The platform's settings, which a tenant has until it saves its own. */
    public DaySettings defaults() {
        return defaults;
    }

    /** The tenant's settings, from memory when read in the last {@link #TTL}. */
    public Uni<DaySettings> of(SqlClient client, long tenantId) {
        Cached cached = cache.get(tenantId);
        if (cached != null && cached.until() > System.nanoTime()) {
            return Uni.createFrom().item(cached.settings());
        }
        return read(client, tenantId, false).invoke(settings -> cache.put(tenantId,
                new Cached(settings, System.nanoTime() + TTL.toNanos())));
    }

    /** The tenant's settings read in {@code tx} and locked until it ends (whoever changes them reads them so). */
    public Uni<DaySettings> locked(SqlClient tx, long tenantId) {
        // A tenant's first save locks a row too: two first saves at once take turns instead of one losing its change.
        return tx
                .preparedQuery(
                        """
                                insert into tenant_day_setting (tenant_id, settings, decided_at) values ($1, $2::text::jsonb, '-infinity')
                                on conflict (tenant_id) do nothing""")
                .execute(Tuple.of(tenantId, defaults.toJson().toString()))
                .flatMap(ignored -> read(tx, tenantId, true));
    }

    private Uni<DaySettings> read(SqlClient client, long tenantId, boolean lock) {
        return client.preparedQuery("select settings::text from tenant_day_setting where tenant_id = $1"
                + (lock ? " for update" : "")).execute(Tuple.of(tenantId))
                .map(rows -> rows.iterator().hasNext() ? parse(rows.iterator().next().getString(0)) : defaults);
    }

    /** Parses settings as {@link DaySettings#toJson()} wrote them. */
    public DaySettings parse(String json) {
        try {
            return DaySettings.read(mapper.readTree(json), defaults);
        } catch (java.io.IOException e) {
            return defaults;
        }
    }

    /** Keeps {@code settings} unless newer ones are kept already. */
    public Uni<Void> store(SqlClient client, long tenantId, DaySettings settings) {
        java.time.Instant decided = settings.decidedAt() == null ? java.time.Instant.EPOCH : settings.decidedAt();
        return client.preparedQuery("""
                insert into tenant_day_setting (tenant_id, settings, decided_at) values ($1, $2::text::jsonb, $3)
                on conflict (tenant_id) do update set settings = excluded.settings, decided_at = excluded.decided_at
                where tenant_day_setting.decided_at <= excluded.decided_at""")
                .execute(Tuple.of(tenantId, settings.toJson().toString(), decided.atOffset(ZoneOffset.UTC)))
                .invoke(() -> cache.remove(tenantId))
                .replaceWithVoid();
    }

    @Override
    public boolean handles(String type) {
        return DaySettings.EVENT.equals(type);
    }

    @Override
    public Uni<Void> handle(SqlConnection tx, Event event) {
        JsonNode payload = event.payload();
        return store(tx, event.tenantId(), DaySettings.read(payload, defaults));
    }
}
