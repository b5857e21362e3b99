package io.membercard.member.tag;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;

/** Member tags, always within one tenant. */
@ApplicationScoped
public class TagRepository implements PanacheRepository<MemberTag> {

    public Uni<List<MemberTag>> listInUseByTenant(long tenantId) {
        return list("tenantId = ?1 and inUse = true order by id", tenantId);
    }

    public Uni<MemberTag> findByTenantAndId(long tenantId, long id) {
        return find("tenantId = ?1 and id = ?2", tenantId, id).firstResult();
    }
}
