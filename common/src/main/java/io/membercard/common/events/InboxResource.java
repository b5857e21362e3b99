package io.membercard.common.events;

import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.lock.LockTimeoutException;
import io.membercard.common.lock.LockUnavailableException;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;

/** Where other services deliver batches of their outbox events (service key required: see ServiceKeyFilter). */
@Path("/internal/service/events")
public class InboxResource {
    private static final Logger LOG = Logger.getLogger(InboxResource.class);
    private final Inbox inbox;

    public InboxResource(Inbox inbox) {
        this.inbox = inbox;
    }

    /**
     * 204 once the batch is taken. A failure that trying again can mend (the database or a lock out of reach, a
     * deadlock, a conflict) is 503, which the sender retries for as long as it takes; any other failure of a handler
     * is the events' own (500), and a sender sets aside an event it keeps refusing so.
     */
    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive events (service to service)", hidden = true)
    public Uni<RestResponse<Void>> receive(@NotNull List<Event> events) {
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            if (event == null || event.eventId() == null || event.type() == null) {
                throw ApiException.badInput("[" + i + "]", "an event needs eventId and type");
            }
            try {
                java.util.UUID.fromString(event.eventId());
            } catch (IllegalArgumentException e) {
                throw ApiException.badInput("[" + i + "].eventId", "must be a UUID");
            }
        }
        return inbox.accept(events).map(taken -> RestResponse.<Void>noContent())
                .onFailure(InboxResource::passing).recoverWithItem(e -> {
                    LOG.warnf("events not taken for now, the sender retries: %s", e.toString());
                    return RestResponse.status(RestResponse.Status.SERVICE_UNAVAILABLE);
                });
    }

    /** Whether {@code failure} is one trying again later can mend, as opposed to one the events cause. */
    static boolean passing(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof PgException pg) {
                String state = pg.getSqlState() == null ? "" : pg.getSqlState();
                return state.startsWith("08") || state.startsWith("40") || state.startsWith("53")
                        || state.startsWith("57") || state.equals("55P03");
            }
            if (e instanceof ApiException api) {
                return api.status() == StatusCode.CONFLICT;
            }
            if (e instanceof LockTimeoutException || e instanceof LockUnavailableException
                    || e instanceof java.net.ConnectException || e instanceof java.util.concurrent.TimeoutException
                    || e instanceof io.vertx.sqlclient.ClosedConnectionException
                    || e instanceof io.vertx.core.VertxException && String.valueOf(e.getMessage()).contains("imeout")) {
                return true;
            }
        }
        return false;
    }
}
