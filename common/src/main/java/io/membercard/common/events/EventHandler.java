package io.membercard.common.events;

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
}
