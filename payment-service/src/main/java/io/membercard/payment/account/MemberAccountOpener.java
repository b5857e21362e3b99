package io.membercard.payment.account;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.common.events.Event;
import io.membercard.common.events.EventHandler;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A card's account opens with its member (member-service's {@code member.created}, payload {@code cardId},
 * {@code cardCode}) if the card's first money movement has not opened it already.
 */
@ApplicationScoped
public class MemberAccountOpener implements EventHandler {
    public static final String MEMBER_CREATED = "member.created";

    @Override
    public boolean handles(String type) {
        return MEMBER_CREATED.equals(type);
    }

    @Override
    public Uni<Void> handle(SqlConnection tx, Event event) {
        long cardId = event.payload().path("cardId").asLong();
        String cardCode = event.payload().path("cardCode").asText("");
        if (cardId < 1 || cardCode.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                insert into account (tenant_id, card_id, card_code) values ($1, $2, $3)
                on conflict (tenant_id, card_id) do nothing""")
                .execute(Tuple.of(event.tenantId(), cardId, cardCode)).replaceWithVoid();
    }
}
