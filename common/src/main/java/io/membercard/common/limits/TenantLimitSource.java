package io.membercard.common.limits;

import java.util.Map;

import io.smallrye.mutiny.Uni;

/**
 * Where a service learns a tenant's own limits. member-service owns them and answers from its table; every other
 * service asks it ({@link RemoteTenantLimitSource}, the default). {@link TenantLimits} caches the answers and falls
 * back to the platform defaults when none comes.
 */
public interface TenantLimitSource {

    /** The limits the tenant has a value of its own for; a limit left out follows the platform default. */
    Uni<Map<Limit, LimitSetting>> tenantValues(long tenantId);
}
