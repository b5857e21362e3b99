package io.membercard.card.card;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.membercard.common.security.Caller;
import io.membercard.common.security.Roles;
import io.membercard.common.web.QueryParams;
import io.smallrye.mutiny.Uni;

/** Cards read at the till (S1-07). */
@Path("/api/member/membercard")
@Produces(MediaType.APPLICATION_JSON)
public class CardResource {
    private final CardService service;
    private final Caller caller;

    public CardResource(CardService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @Path("/get")
    @Operation(summary = "S1-07: the card with its account figures", description = "The card must belong to the "
            + "caller's tenant and mac must be its card secret; otherwise 602. Account figures are zero until "
            + "payment-service keeps the card's account.")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<CardView> get(@QueryParam("cardCode") String cardCode, @QueryParam("mac") String mac) {
        String code = QueryParams.requiredText("cardCode", cardCode, 32);
        String secret = QueryParams.requiredText("mac", mac, 64);
        return service.read(MacGuard.Guesser.of(caller), code, secret);
    }
}
