package io.membercard.common.events;

import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * A service's reaction to events it receives. It runs in the transaction that records the event in the inbox, so
 * its effect and the record commit together: once per event.
 */
public interface EventHandler {

    /** Whether this handler wants events of {@code type}. */
    boolean handles(String type);

    Uni<Void> handle(SqlConnection tx, Event event);

    /**
     * Handles a batch's events of the types this handler wants, in the order they were published. By default one
     * after the other; a handler may do the whole batch in a few statements, as long as the outcome is the same.
     */
    default Uni<Void> handleAll(SqlConnection tx, List<Event> events) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Event event : events) {
            chain = chain.flatMap(ignored -> handle(tx, event));
        }
        return chain;
    }
}
