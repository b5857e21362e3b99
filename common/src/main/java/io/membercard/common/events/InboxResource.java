package io.membercard.common.events;

import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.membercard.common.api.ApiException;
import io.smallrye.mutiny.Uni;

/** Where other services deliver batches of their outbox events (service key required: see ServiceKeyFilter). */
@Path("/internal/service/events")
public class InboxResource {
    private final Inbox inbox;

    public InboxResource(Inbox inbox) {
        this.inbox = inbox;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive events (service to service)", hidden = true)
    public Uni<Void> receive(@NotNull List<Event> events) {
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
        return inbox.accept(events).replaceWithVoid();
    }
}
