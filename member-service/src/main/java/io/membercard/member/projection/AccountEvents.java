package io.membercard.member.projection;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.membercard.common.events.Event;
import io.membercard.common.events.EventHandler;
import io.membercard.member.member.CardTimes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * payment-service's account events keep the figures member views and list sums show: {@code account.changed}
 * (the account's figures after a change; an older version than the one kept is ignored, so a repeat or a late event
 * changes nothing) and {@code account.points-expiry}. A replacement moves an account to another card: the old
 * card's figures go with it.
 */
@ApplicationScoped
public class AccountEvents implements EventHandler {
    static final String CHANGED = "account.changed";
    static final String POINTS_EXPIRY = "account.points-expiry";

    private final ProjectionStore store;
    private final SumsKeeper sums;

    public AccountEvents(ProjectionStore store, SumsKeeper sums) {
        this.store = store;
        this.sums = sums;
    }

    @Override
    public boolean handles(String type) {
        return CHANGED.equals(type) || POINTS_EXPIRY.equals(type);
    }

    @Override
    public Uni<Void> handle(SqlConnection tx, Event event) {
        JsonNode p = event.payload();
        long tenantId = event.tenantId();
        if (POINTS_EXPIRY.equals(event.type())) {
            return tx.preparedQuery("""
                    update account_projection set points_disabled_at = $3, points_version = $4
                    where tenant_id = $1 and card_id = $2 and points_version <= $4""")
                    .execute(Tuple.of(tenantId, p.path("cardId").asLong(), CardTimes.at(p.path("pointsDisabledAt")),
                            p.path("version").asLong()))
                    .replaceWithVoid();
        }
        long cardId = p.path("cardId").asLong();
        JsonNode previous = p.path("previousCardId");
        Uni<Void> moved = previous.isNumber() ? leave(tx, tenantId, previous.asLong()) : Uni.createFrom().voidItem();
        return moved.flatMap(ignored -> apply(tx, tenantId, cardId, p.path("accountId").asLong(),
                p.path("version").asLong(), Figures.of(p)));
    }

    /** The figures of a card (newer than those kept), into its member's sums as the difference. */
    public Uni<Void> apply(SqlConnection tx, long tenantId, long cardId, long accountId, long version, Figures now) {
        return store.lock(tx, tenantId, cardId).flatMap(kept -> {
            if (version <= kept.version()) {
                return Uni.createFrom().voidItem();
            }
            return store.write(tx, tenantId, cardId, accountId, version, now)
                    .flatMap(ignored -> store.memberOf(tx, tenantId, cardId))
                    .flatMap(member -> member == null || member.status() != 1
                            ? Uni.createFrom().voidItem()
                            : sums.apply(tx, tenantId, new SumsKeeper.Changes().add(member.group(), 0,
                                    now.minus(kept.figures()))));
        });
    }

    /** A card whose account moved to another card: its figures leave its member's sums. */
    private Uni<Void> leave(SqlConnection tx, long tenantId, long cardId) {
        return store.lock(tx, tenantId, cardId).flatMap(kept -> store.memberOf(tx, tenantId, cardId)
                .flatMap(member -> member == null || member.status() != 1
                        ? Uni.createFrom().voidItem()
                        : sums.apply(tx, tenantId, new SumsKeeper.Changes().add(member.group(), 0,
                                kept.figures().negate())))
                .flatMap(ignored -> store.remove(tx, tenantId, cardId)));
    }
}
