package io.membercard.member.tag;

import java.util.List;

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

/** Member tags: S1-10 and the managers' save and disable. */
@Path("/api/member/membertag")
@Produces(MediaType.APPLICATION_JSON)
public class TagResource {
    private final TagService service;
    private final Caller caller;

    public TagResource(TagService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @Path("/getlist")
    @Operation(summary = "S1-10: member tags", description = "Tags out of use are not listed.")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<List<TagView>> list() {
        return service.listInUse(caller.tenantId());
    }

    @POST
    @Path("/save")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create (id absent or 0) or update a member tag; data is its id")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<Long>> save(@Valid @NotNull TagSave body) {
        return service.save(caller.tenantId(), body).map(ApiResponse::ok);
    }

    @POST
    @Path("/disable")
    @Operation(summary = "Take a tag out of use (its members keep it)")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<Void>> disable(@QueryParam("id") String id) {
        return service.disable(caller.tenantId(), QueryParams.requiredId("id", id)).map(ignored -> ApiResponse.ok());
    }
}
