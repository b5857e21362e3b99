package io.membercard.payment.lifecycle;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;

import io.membercard.common.api.ApiResponse;
import io.membercard.common.api.Responses;
import io.membercard.payment.lifecycle.CardAccountCommands.Replace;
import io.membercard.payment.lifecycle.CardAccountCommands.Replaced;
import io.membercard.payment.lifecycle.CardAccountCommands.Return;
import io.membercard.payment.lifecycle.CardAccountCommands.Returned;
import io.smallrye.mutiny.Uni;

/** card-service's calls when a card is replaced or returned (service key required; not routed by the gateway). */
@Path("/internal/service/accounts")
@Produces(MediaType.APPLICATION_JSON)
public class CardAccountResource {
    private final CardAccountService service;

    public CardAccountResource(CardAccountService service) {
        this.service = service;
    }

    @POST
    @Path("/replace")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Uni<RestResponse<ApiResponse<Replaced>>> replace(@Valid @NotNull Replace body) {
        return service.replace(body).map(Responses::command);
    }

    @POST
    @Path("/return")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Uni<RestResponse<ApiResponse<Returned>>> returnCard(@Valid @NotNull Return body) {
        return service.returnCard(body).map(Responses::command);
    }
}
