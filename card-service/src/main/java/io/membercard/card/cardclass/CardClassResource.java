package io.membercard.card.cardclass;

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

import io.membercard.common.api.ApiResponse;
import io.membercard.common.security.Caller;
import io.membercard.common.security.Roles;
import io.membercard.common.web.QueryParams;
import io.smallrye.mutiny.Uni;

/** Card classes: S1-08, S1-09, and the managers' save and disable. */
@Path("/api/member/membercardclass")
@Produces(MediaType.APPLICATION_JSON)
public class CardClassResource {
    private final CardClassService service;
    private final Caller caller;

    public CardClassResource(CardClassService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    /** S1-08: the caller's tenant's card classes. */
    @GET
    @Path("/getlist")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<List<CardClassView>> list() {
        return service.listActive(caller.tenantId());
    }

    /** S1-09: a tenant's card classes; only a platform admin may name another tenant. */
    @GET
    @Path("/getlistbytenant")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN, Roles.PLATFORM_ADMIN})
    public Uni<List<CardClassView>> listByTenant(@QueryParam("tenantId") String tenantId) {
        Long tenant = caller.readableTenant(QueryParams.optionalLong("tenantId", tenantId));
        return tenant == null ? Uni.createFrom().item(List.of()) : service.listActive(tenant);
    }

    /** Creates ({@code id} absent or 0) or updates a card class; {@code data} is its id. */
    @POST
    @Path("/save")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<Long>> save(@Valid @NotNull CardClassSave body) {
        return service.save(caller.tenantId(), body).map(ApiResponse::ok);
    }

    /** Hides a card class from lists and new cards; cards that have it keep it. */
    @POST
    @Path("/disable")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<Void>> disable(@QueryParam("id") String id) {
        return service.disable(caller.tenantId(), QueryParams.requiredId("id", id)).map(ignored -> ApiResponse.ok());
    }
}
