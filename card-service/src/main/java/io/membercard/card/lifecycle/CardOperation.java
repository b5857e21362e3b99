package io.membercard.card.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.mutiny.sqlclient.Row;

/**
 * A replacement or a return: its account side runs in payment-service, so the card side records where it stands.
 * While it is {@code STARTED} its cards are busy; it ends {@code DONE} (both sides changed) or {@code FAILED}
 * (neither did). {@code request} holds what finishing needs: payment-service's command and, for a replacement of
 * an unwritten card, the new card's MAC hash.
 */
public record CardOperation(long id, long tenantId, Kind kind, State state, long cardId, Long newCardId,
        String request, String result, int attempts) {

    public enum Kind {
        REPLACE, RETURN
    }

    public enum State {
        STARTED, DONE, FAILED
    }

    static final String COLUMNS = "id, tenant_id, kind, state, card_id, new_card_id, request, result, attempts";

    static CardOperation of(Row row) {
        return new CardOperation(row.getLong("id"), row.getLong("tenant_id"), Kind.valueOf(row.getString("kind")),
                State.valueOf(row.getString("state")), row.getLong("card_id"), row.getLong("new_card_id"),
                row.getString("request"), row.getString("result"), row.getInteger("attempts"));
    }

    /** The id payment-service knows operation {@code id} by (its idempotency key). */
    static String operationId(long id) {
        return "card-op-" + id;
    }

    /** What the card side keeps of a request: the command for payment-service, and the new card's MAC hash. */
    public record Request(JsonNode command, String newMacHash) {
    }
}
