package io.membercard.payment.migration;

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
import io.smallrye.mutiny.Uni;

/** member-service's shop migration moves the shop's accounts here (service key required). */
@Path("/internal/service/accounts/migrate")
@Produces(MediaType.APPLICATION_JSON)
public class AccountMigrationResource {
    private final AccountMigrationService service;

    public AccountMigrationResource(AccountMigrationService service) {
        this.service = service;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Uni<RestResponse<ApiResponse<AccountMigration.Result>>> migrate(@Valid @NotNull AccountMigration body) {
        return service.migrate(body).map(Responses::command);
    }
}
