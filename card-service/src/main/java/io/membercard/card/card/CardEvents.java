package io.membercard.card.card;

import java.util.Collection;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Tells member-service about cards that belong to members ({@code card.changed}), in the transaction that changed
 * them: the card's state after the change and its {@code version}, so that a receiver keeps the newest. One
 * statement writes the events of any number of cards; cards without a member are skipped, except those named in
 * {@code released} (a card a member just left, so that the member's view can follow).
 */
@ApplicationScoped
public class CardEvents {
    public static final String CARD_CHANGED = "card.changed";
    public static final String CARD_CLASS_CHANGED = "cardclass.changed";

    /** A {@code card.changed} event of card {@code c} (class {@code cc}); %s takes the member fields. */
    private static final String CARD = """
            insert into outbox_event (event_id, tenant_id, type, aggregate_id, payload)
            select gen_random_uuid(), c.tenant_id, '%s', c.id::text, json_build_object(
                   'cardId', c.id, 'code', c.code,
                   'status', case when c.status = 2 and c.expires_at < now() then 7 else c.status end,
                   'cardClassId', c.card_class_id, 'cardClassName', cc.name, 'sendMode', c.send_mode,
                   'shopId', c.shop_id, 'shopName', c.shop_name,
                   'writtenAt', (extract(epoch from c.written_at) * 1000)::bigint,
                   'expiresAt', (extract(epoch from c.expires_at) * 1000)::bigint,
                   'version', c.version, %%s)::text
            from card c join card_class cc on cc.id = c.card_class_id
            """.formatted(CARD_CHANGED);

    /** Writes a {@code card.changed} event for each of {@code cardIds} that belongs to a member. */
    public Uni<Void> changed(SqlClient tx, long tenantId, Collection<Long> cardIds) {
        if (cardIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(CARD.formatted("'memberId', c.member_id")
                + "where c.tenant_id = $1 and c.id = any($2) and c.member_id is not null order by c.id")
                .execute(Tuple.of(tenantId, cardIds.toArray(new Long[0])))
                .replaceWithVoid();
    }

    /** A card a member has just left (replaced): the event says so with {@code memberId} null. */
    public Uni<Void> left(SqlClient tx, long tenantId, long cardId, long memberId) {
        return tx.preparedQuery(CARD.formatted("'memberId', null, 'previousMemberId', $3::bigint")
                + "where c.tenant_id = $1 and c.id = $2")
                .execute(Tuple.of(tenantId, cardId, memberId))
                .replaceWithVoid();
    }

    /**
     * The statement that tells of a card class's change ({@code cardclass.changed}), for the card class service's
     * own transaction (parameters: tenant, class id).
     */
    public static final String CLASS_CHANGED_SQL = """
            insert into outbox_event (event_id, tenant_id, type, aggregate_id, payload)
            select gen_random_uuid(), tenant_id, '%s', id::text, json_build_object(
                   'cardClassId', id, 'name', name, 'disabled', disabled)::text
            from card_class where tenant_id = ?1 and id = ?2""".formatted(CARD_CLASS_CHANGED);
}
