package io.membercard.common.limits;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/** Tenants' own limits for common's tests, in place of member-service: a tenant no test set follows the defaults. */
@ApplicationScoped
public class FixedLimitSource implements TenantLimitSource {
    private static final Map<Long, Map<Limit, LimitSetting>> VALUES = new ConcurrentHashMap<>();

    /** Gives {@code tenant} its own {@code value} of {@code limit} (as a tenant manager would set it). */
    static void set(long tenant, Limit limit, long value) {
        VALUES.computeIfAbsent(tenant, t -> new EnumMap<>(Limit.class)).put(limit,
                new LimitSetting(limit.wireName(), value, false));
    }

    @Override
    public Uni<Map<Limit, LimitSetting>> tenantValues(long tenantId) {
        return Uni.createFrom().item(Map.copyOf(VALUES.getOrDefault(tenantId, Map.of())));
    }
}
