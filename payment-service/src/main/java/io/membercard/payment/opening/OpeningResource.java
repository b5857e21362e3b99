package io.membercard.payment.opening;

import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.membercard.common.api.ApiResponse;
import io.smallrye.mutiny.Uni;

/** Opening balances of imported and partner-issued cards (service key required; not routed by the gateway). */
@Path("/internal/service/accounts/openings")
@Produces(MediaType.APPLICATION_JSON)
public class OpeningResource {
    private final OpeningService service;

    public OpeningResource(OpeningService service) {
        this.service = service;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Uni<ApiResponse<List<Openings.Opened>>> open(@Valid @NotNull Openings body) {
        return service.open(body).map(ApiResponse::ok);
    }
}
