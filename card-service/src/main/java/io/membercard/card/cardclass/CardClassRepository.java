package io.membercard.card.cardclass;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;

/** Card classes, always within one tenant. */
@ApplicationScoped
public class CardClassRepository implements PanacheRepository<CardClass> {

    public Uni<List<CardClass>> listActiveByTenant(long tenantId) {
        return list("tenantId = ?1 and disabled = false order by id", tenantId);
    }

    public Uni<CardClass> findByTenantAndId(long tenantId, long id) {
        return find("tenantId = ?1 and id = ?2", tenantId, id).firstResult();
    }
}
