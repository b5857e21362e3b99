package io.membercard.member.gift;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.common.api.ApiException;
import io.membercard.common.money.Money;
import io.membercard.member.list.ListItems;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Managers keep the gift list; members spend points on gifts in use (payment-service asks for them). */
@ApplicationScoped
public class GiftService {
    private final GiftRepository repository;

    public GiftService(GiftRepository repository) {
        this.repository = repository;
    }

    @WithSession
    public Uni<List<GiftView>> listInUse(long tenantId) {
        return repository.listInUseByTenant(tenantId).map(gifts -> gifts.stream().map(GiftView::of).toList());
    }

    /** The tenant's gift {@code id}, in use or not; 404 when the tenant has none. */
    @WithSession
    public Uni<GiftView> get(long tenantId, long id) {
        return repository.findByTenantAndId(tenantId, id).map(gift -> {
            if (gift == null) {
                throw ApiException.notFound("gift " + id);
            }
            return GiftView.of(gift);
        });
    }

    @WithTransaction
    public Uni<Long> save(long tenantId, GiftSave command) {
        return ListItems.toSave(tenantId, command.id(), () -> repository.findByTenantAndId(tenantId, command.id()),
                Gift::new, "gift").flatMap(gift -> {
                    gift.name = command.name().trim();
                    gift.points = command.points();
                    gift.price = command.price() == null ? Money.ZERO : Money.of("price", command.price());
                    gift.imagePath = command.imagePath() == null ? "" : command.imagePath().trim();
                    if (command.inUse() != null) {
                        gift.inUse = command.inUse();
                    }
                    return repository.persist(gift);
                }).map(saved -> saved.id);
    }

    @WithTransaction
    public Uni<Void> disable(long tenantId, long id) {
        return ListItems.disable(repository.findByTenantAndId(tenantId, id), id, "gift");
    }
}
