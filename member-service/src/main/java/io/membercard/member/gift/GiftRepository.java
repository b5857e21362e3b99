package io.membercard.member.gift;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;

/** Gifts, always within one tenant. */
@ApplicationScoped
public class GiftRepository implements PanacheRepository<Gift> {

    public Uni<List<Gift>> listInUseByTenant(long tenantId) {
        return list("tenantId = ?1 and inUse = true order by id", tenantId);
    }

    public Uni<Gift> findByTenantAndId(long tenantId, long id) {
        return find("tenantId = ?1 and id = ?2", tenantId, id).firstResult();
    }
}
