package io.membercard.common.events;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.membercard.common.api.ApiException;
import io.smallrye.mutiny.Uni;

/** Where other services deliver their outbox events (service key required: see ServiceKeyFilter). */
@Path("/internal/service/events")
public class InboxResource {
    private final Inbox inbox;

    public InboxResource(Inbox inbox) {
        this.inbox = inbox;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive an event (service to service)", hidden = true)
    public Uni<Void> receive(@Valid @NotNull Event event) {
        if (event.eventId() == null || event.type() == null) {
            throw ApiException.badInput("eventId", "and type are required");
        }
        return inbox.accept(event).replaceWithVoid();
    }
}
