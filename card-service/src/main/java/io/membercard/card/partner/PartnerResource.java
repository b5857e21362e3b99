package io.membercard.card.partner;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
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

/** The tenant's partners of the open protocol (seed 003): managers make them and take them out of use. */
@Path("/api/open/partner")
@Produces(MediaType.APPLICATION_JSON)
public class PartnerResource {
    private final PartnerService service;
    private final Caller caller;

    public PartnerResource(PartnerService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    /** A new partner: its name, and the shop and card class its cards go to. */
    public record PartnerSave(@NotBlank @Size(max = 64) String name, @NotNull @Min(0) Long shopId,
            @Size(max = 64) String shopName, @NotNull @Min(1) Long cardClassId) {
    }

    @POST
    @Path("/save")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make a partner; data is {id, secret}", description = "The secret is shown this once: the "
            + "partner signs its requests with it. To change a secret, make a new partner and disable the old one.")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<PartnerService.Credentials>> save(@Valid @NotNull PartnerSave body) {
        return service.create(caller.tenantId(), body).map(ApiResponse::ok);
    }

    @GET
    @Path("/getlist")
    @Operation(summary = "The tenant's partners (never their secrets)")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    public Uni<List<Partner>> list() {
        return service.list(caller.tenantId());
    }

    @POST
    @Path("/disable")
    @Operation(summary = "Take a partner out of use: its requests are refused from now on")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<Void>> disable(@QueryParam("id") String id) {
        return service.disable(caller.tenantId(), QueryParams.requiredText("id", id, 32))
                .map(ignored -> ApiResponse.ok());
    }
}
