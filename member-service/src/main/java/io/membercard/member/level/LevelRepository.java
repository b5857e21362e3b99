package io.membercard.member.level;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;

/** Member levels, always within one tenant. */
@ApplicationScoped
public class LevelRepository implements PanacheRepository<MemberLevel> {

    public Uni<List<MemberLevel>> listInUseByTenant(long tenantId) {
        return list("tenantId = ?1 and inUse = true order by level, id", tenantId);
    }

    public Uni<MemberLevel> findByTenantAndId(long tenantId, long id) {
        return find("tenantId = ?1 and id = ?2", tenantId, id).firstResult();
    }
}
