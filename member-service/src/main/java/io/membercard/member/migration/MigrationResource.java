package io.membercard.member.migration;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.membercard.common.api.ApiResponse;
import io.membercard.common.security.Caller;
import io.membercard.common.security.Roles;
import io.membercard.common.web.QueryParams;
import io.smallrye.mutiny.Uni;

/** S1-39: a shop's members, cards, money, points and levels move to another tenant (platform-admin). */
@Path("/api/member/member")
@Produces(MediaType.APPLICATION_JSON)
public class MigrationResource {
    private final MigrationService service;
    private final Caller caller;

    public MigrationResource(MigrationService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Path("/migrate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-39: move shop shopId of tenant tenantIdByMemberExport to tenant tenantIdByMemberImport", description = "Members (with their levels), cards (same codes, MACs and states), actual and bonus money "
            + "and points move; the old cards end void, the old members retired. dryRun: true only reports. "
            + "data is the migration's audit record; a migration that stopped part-way (FAILED) is finished "
            + "by running it again.")
    @RolesAllowed(Roles.PLATFORM_ADMIN)
    public Uni<ApiResponse<MigrationReport>> migrate(@Valid @NotNull MigrationRequest body) {
        return service.migrate(caller.operator(), body).map(ApiResponse::ok);
    }

    @GET
    @Path("/getmigration")
    @Operation(summary = "A migration's audit record (platform-admin)")
    @RolesAllowed(Roles.PLATFORM_ADMIN)
    public Uni<MigrationReport> get(@QueryParam("id") String id) {
        return service.report(QueryParams.requiredText("id", id, 64));
    }
}
