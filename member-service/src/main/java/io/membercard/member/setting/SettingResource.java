package io.membercard.member.setting;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.membercard.common.api.ApiResponse;
import io.membercard.common.security.Caller;
import io.membercard.common.security.Roles;
import io.smallrye.mutiny.Uni;

/** The tenant's switches: S1-14, S1-15, and the managers' save. */
@Path("/api/member/setting")
@Produces(MediaType.APPLICATION_JSON)
public class SettingResource {
    private final SettingService service;
    private final Caller caller;

    public SettingResource(SettingService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    /** Body of save. */
    public record Save(@NotNull Integer key, @NotNull Boolean value) {
    }

    @GET
    @Path("/getpasswordrequired")
    @Operation(summary = "S1-14: whether card payments need the card password")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<Boolean> passwordRequired() {
        return service.passwordRequired(caller.tenantId());
    }

    @GET
    @Path("/getlist")
    @Operation(summary = "S1-15: the tenant's switches", description = "key 1: card payments need the card "
            + "password; 2: card payments take paid-in money first; 3: bonus first (neither: in proportion).")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<List<SettingService.SettingView>> list() {
        return service.list(caller.tenantId());
    }

    @POST
    @Path("/save")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set one switch (manager); data is its key", description = "2 and 3 cannot both be on; "
            + "payment-service applies them to card payments within seconds.")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<Integer>> save(@Valid @NotNull Save body) {
        return service.save(caller.tenantId(), SettingKey.of(body.key()), body.value()).map(ApiResponse::ok);
    }
}
