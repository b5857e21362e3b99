package io.membercard.member.projection;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.membercard.common.events.Event;
import io.membercard.common.events.EventHandler;
import io.membercard.member.member.CardTimes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * card-service's events keep what members show of their cards: {@code card.changed} (a member's card's state, its
 * {@code version} newer than the one kept; a card that names another member's id takes that member over, as after
 * a replacement) and {@code cardclass.changed} (a class's new name).
 */
@ApplicationScoped
public class CardEvents implements EventHandler {
    static final String CARD_CHANGED = "card.changed";
    static final String CLASS_CHANGED = "cardclass.changed";

    private final ProjectionStore store;
    private final SumsKeeper sums;

    public CardEvents(ProjectionStore store, SumsKeeper sums) {
        this.store = store;
        this.sums = sums;
    }

    @Override
    public boolean handles(String type) {
        return CARD_CHANGED.equals(type) || CLASS_CHANGED.equals(type);
    }

    /** The batch's events one by one, their changes of the sums gathered and written at the end. */
    @Override
    public Uni<Void> handleAll(SqlConnection tx, List<Event> events) {
        Map<Long, SumsKeeper.Changes> changes = new HashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Event event : events) {
            chain = chain.flatMap(ignored -> handle(tx, event, changes));
        }
        return chain.flatMap(ignored -> sums.applyAll(tx, changes));
    }

    /** One event, as a batch of one. */
    @Override
    public Uni<Void> handle(SqlConnection tx, Event event) {
        return handleAll(tx, List.of(event));
    }

    private Uni<Void> handle(SqlConnection tx, Event event, Map<Long, SumsKeeper.Changes> changes) {
        JsonNode p = event.payload();
        long tenantId = event.tenantId();
        if (CLASS_CHANGED.equals(event.type())) {
            return tx.preparedQuery("""
                    update member set card_class_name = $3, updated_at = now()
                    where tenant_id = $1 and card_class_id = $2 and card_class_name <> $3""")
                    .execute(Tuple.of(tenantId, p.path("cardClassId").asLong(), p.path("name").asText("")))
                    .replaceWithVoid();
        }
        long cardId = p.path("cardId").asLong();
        JsonNode memberId = p.path("memberId");
        Uni<Long> owner = memberId.isNumber()
                ? Uni.createFrom().item(memberId.asLong())
                : tx.preparedQuery("select id from member where tenant_id = $1 and card_id = $2 and status < 2")
                        .execute(Tuple.of(tenantId, cardId))
                        .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getLong(0) : null);
        return owner.flatMap(member -> member == null
                ? Uni.createFrom().voidItem()
                : follow(tx, tenantId, member, cardId, p, changes));
    }

    /** Brings member {@code memberId} up to the card's state, moving it to the card if it had another. */
    private Uni<Void> follow(SqlConnection tx, long tenantId, long memberId, long cardId, JsonNode card,
            Map<Long, SumsKeeper.Changes> changes) {
        return tx.preparedQuery("""
                select id, status, card_id, shop_id, level_id, card_status, name, card_version from member
                where tenant_id = $1 and id = $2 for update""")
                .execute(Tuple.of(tenantId, memberId))
                .flatMap(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().voidItem();
                    }
                    Row row = rows.iterator().next();
                    ProjectionStore.MemberGroup member = ProjectionStore.group(row);
                    boolean sameCard = member.cardId() != null && member.cardId() == cardId;
                    if (member.status() == 2 || sameCard && card.path("version").asLong() <= row.getLong(
                            "card_version")) {
                        return Uni.createFrom().voidItem();
                    }
                    SumsKeeper.Group after = member.group().withCardStatus(card.path("status").asInt());
                    Uni<Void> counted = member.status() != 1
                            ? Uni.createFrom().voidItem()
                            : regroup(tx, tenantId, member, cardId, sameCard, after, changes);
                    return counted.flatMap(ignored -> tx.preparedQuery("""
                            update member set card_id = $3, card_code = $4, card_class_id = $5, card_class_name = $6,
                                   card_status = $7, card_send_mode = $8, card_shop_name = $9,
                                   card_written_at = $10, card_version = $11, updated_at = now()
                            where tenant_id = $1 and id = $2""")
                            .execute(Tuple.from(new Object[]{tenantId, memberId, cardId, card.path("code").asText(),
                                    card.path("cardClassId").asLong(), card.path("cardClassName").asText(""),
                                    (short) card.path("status").asInt(), (short) card.path("sendMode").asInt(),
                                    card.path("shopName").asText(""), CardTimes.at(card.path("writtenAt")),
                                    card.path("version").asLong()}))
                            .replaceWithVoid());
                });
    }

    /** The member's figures leave its old group (and card) and join the new one. */
    private Uni<Void> regroup(SqlConnection tx, long tenantId, ProjectionStore.MemberGroup member, long cardId,
            boolean sameCard, SumsKeeper.Group after, Map<Long, SumsKeeper.Changes> changes) {
        if (sameCard && after.equals(member.group())) {
            return Uni.createFrom().voidItem();
        }
        // Both cards' rows are locked (in card order), then the figures leave with the old card and come with the new.
        List<long[]> cards = member.cardId() == null || sameCard
                ? List.<long[]>of(new long[]{tenantId, cardId})
                : List.of(new long[]{tenantId, member.cardId()}, new long[]{tenantId, cardId});
        return store.lockAll(tx, cards).invoke(kept -> {
            Figures old = member.cardId() == null ? Figures.ZERO : kept.get(tenantId + ":" + member.cardId()).figures();
            Figures fresh = kept.get(tenantId + ":" + cardId).figures();
            SumsKeeper.of(changes, tenantId).leave(member.group(), old).join(after, fresh);
        }).replaceWithVoid();
    }
}
