package io.membercard.member.gift;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.membercard.common.api.ApiResponse;
import io.membercard.common.security.Caller;
import io.membercard.common.security.Roles;
import io.membercard.common.web.QueryParams;
import io.smallrye.mutiny.Uni;

/** Gifts: S1-12, the managers' save and disable, and the read payment-service makes for an exchange. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class GiftResource {
    private final GiftService service;
    private final Caller caller;

    public GiftResource(GiftService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @Path("/api/member/gift/getlist")
    @Operation(summary = "S1-12: gifts redeemable for points")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<List<GiftView>> list() {
        return service.listInUse(caller.tenantId());
    }

    @POST
    @Path("/api/member/gift/save")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create (id absent or 0) or update a gift; data is its id")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<Long>> save(@Valid @NotNull GiftSave body) {
        return service.save(caller.tenantId(), body).map(ApiResponse::ok);
    }

    @POST
    @Path("/api/member/gift/disable")
    @Operation(summary = "Take a gift out of use")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<Void>> disable(@QueryParam("id") String id) {
        return service.disable(caller.tenantId(), QueryParams.requiredId("id", id)).map(ignored -> ApiResponse.ok());
    }

    /** For payment-service's gift exchange (the caller's token forwarded); not routed by the gateway. */
    @GET
    @Path("/internal/gifts/{id}")
    @Operation(hidden = true)
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<GiftView> get(@PathParam("id") String id) {
        return service.get(caller.tenantId(), QueryParams.requiredId("id", id));
    }
}
