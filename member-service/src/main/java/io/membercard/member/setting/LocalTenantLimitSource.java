package io.membercard.member.setting;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.common.limits.Limit;
import io.membercard.common.limits.LimitSetting;
import io.membercard.common.limits.TenantLimitSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** member-service owns the tenants' limits: it reads its own table instead of asking itself over REST. */
@ApplicationScoped
public class LocalTenantLimitSource implements TenantLimitSource {
    private final Pool pool;
    private final TenantLimitRepository repository;

    public LocalTenantLimitSource(Pool pool, TenantLimitRepository repository) {
        this.pool = pool;
        this.repository = repository;
    }

    @Override
    public Uni<Map<Limit, LimitSetting>> tenantValues(long tenantId) {
        return repository.findByTenant(pool, tenantId);
    }
}
