package io.membercard.card.card;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
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

/**
 * Card checks for other services, which forward their caller's token (so the caller's tenant applies). Not routed
 * by the gateway. Refusals come as the envelope: 602 unknown card or wrong MAC, 601 locked.
 */
@Path("/internal")
@Produces(MediaType.APPLICATION_JSON)
public class InternalCardResource {
    private final CardService service;
    private final Caller caller;

    public InternalCardResource(CardService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @Path("/cards/check")
    @Operation(hidden = true)
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<CardCheck>> check(@QueryParam("cardCode") String cardCode, @QueryParam("mac") String mac) {
        return service.verify(MacGuard.Guesser.of(caller), QueryParams.requiredText("cardCode", cardCode, 32),
                QueryParams.requiredText("mac", mac, 64)).map(card -> ApiResponse.ok(CardCheck.of(card)));
    }

    @GET
    @Path("/cards/check-by-mac")
    @Operation(hidden = true)
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<CardCheck>> checkByMac(@QueryParam("mac") String mac) {
        return service.verifyByMac(MacGuard.Guesser.of(caller), QueryParams.requiredText("mac", mac, 64))
                .map(card -> ApiResponse.ok(CardCheck.of(card)));
    }

    @GET
    @Path("/cards/by-code")
    @Operation(hidden = true)
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<CardCheck>> byCode(@QueryParam("cardCode") String cardCode) {
        return service.byCode(caller.tenantId(), QueryParams.requiredText("cardCode", cardCode, 32))
                .map(card -> ApiResponse.ok(CardCheck.of(card)));
    }
}
