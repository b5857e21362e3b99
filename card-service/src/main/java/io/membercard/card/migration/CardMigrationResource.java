package io.membercard.card.migration;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.membercard.common.api.ApiResponse;
import io.smallrye.mutiny.Uni;

/** member-service's shop migration: the card side (service key required; not routed by the gateway). */
@Path("/internal/service/migrations")
@Produces(MediaType.APPLICATION_JSON)
public class CardMigrationResource {
    private final CardMigrationService service;

    public CardMigrationResource(CardMigrationService service) {
        this.service = service;
    }

    /** Names a migration for finish and abort. */
    public record MigrationId(@NotBlank String migrationId) {
    }

    @POST
    @Path("/cards")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Uni<ApiResponse<CardMigration.Result>> copy(@Valid @NotNull CardMigration body) {
        return service.copy(body).map(ApiResponse::ok);
    }

    @POST
    @Path("/cards/finish")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Uni<ApiResponse<Integer>> finish(@Valid @NotNull MigrationId body) {
        return service.finish(body.migrationId()).map(ApiResponse::ok);
    }

    @POST
    @Path("/cards/abort")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Uni<ApiResponse<Integer>> abort(@Valid @NotNull MigrationId body) {
        return service.abort(body.migrationId()).map(ApiResponse::ok);
    }
}
