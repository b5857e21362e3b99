package io.membercard.card.cardclass;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.card.card.CardEvents;
import io.membercard.common.api.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Rules for card classes: managers keep the list; disabled classes stay readable for the cards that have them. */
@ApplicationScoped
public class CardClassService {
    private final CardClassRepository repository;

    public CardClassService(CardClassRepository repository) {
        this.repository = repository;
    }

    @WithSession
    public Uni<List<CardClassView>> listActive(long tenantId) {
        return repository.listActiveByTenant(tenantId)
                .map(classes -> classes.stream().map(CardClassView::of).toList());
    }

    /** The class a new card may get: it must exist in the tenant and not be disabled. */
    @WithSession
    public Uni<CardClassView> requireUsable(long tenantId, long id, String field) {
        return repository.findByTenantAndId(tenantId, id).map(found -> {
            if (found == null || found.disabled) {
                throw ApiException.badInput(field, "no usable card class " + id);
            }
            return CardClassView.of(found);
        });
    }

    @WithTransaction
    public Uni<Long> save(long tenantId, CardClassSave command) {
        if (Boolean.TRUE.equals(command.canPoint()) && (command.pointsBasic() == null || command.pointsBasic() < 1)) {
            throw ApiException.badInput("pointsBasic", "must be 1 or more when canPoint is true");
        }
        Instant now = Instant.now();
        Uni<CardClass> target = command.isNew()
                ? Uni.createFrom().item(() -> {
                    CardClass created = new CardClass();
                    created.tenantId = tenantId;
                    created.createdAt = now;
                    return created;
                })
                : repository.findByTenantAndId(tenantId, command.id()).map(found -> {
                    if (found == null) {
                        throw ApiException.notFound("card class " + command.id());
                    }
                    return found;
                });
        return target.flatMap(cardClass -> {
            cardClass.name = command.name().trim();
            cardClass.cardType = (short) CardType.of(command.cardType()).code();
            cardClass.canRecharge = Boolean.TRUE.equals(command.canRecharge());
            cardClass.canMemberPrice = Boolean.TRUE.equals(command.canMemberPrice());
            cardClass.canDiscount = Boolean.TRUE.equals(command.canDiscount());
            cardClass.canPoint = Boolean.TRUE.equals(command.canPoint());
            cardClass.pointsBasic = orZero(command.pointsBasic());
            cardClass.pointsToOne = orZero(command.pointsToOne());
            cardClass.pointsValidDays = orZero(command.pointsValidDays());
            cardClass.updatedAt = now;
            return repository.persistAndFlush(cardClass);
        }).call(saved -> announce(tenantId, saved.id)).map(saved -> saved.id);
    }

    @WithTransaction
    public Uni<Void> disable(long tenantId, long id) {
        return repository.findByTenantAndId(tenantId, id).map(found -> {
            if (found == null) {
                throw ApiException.notFound("card class " + id);
            }
            found.disabled = true;
            found.updatedAt = Instant.now();
            return found;
        }).call(found -> repository.flush()).call(found -> announce(tenantId, id)).replaceWithVoid();
    }

    /** Tells member-service of the change, in this transaction (its members show the class's name). */
    private static Uni<Integer> announce(long tenantId, long classId) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(CardEvents.CLASS_CHANGED_SQL)
                .setParameter(1, tenantId).setParameter(2, classId).executeUpdate());
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
