package io.membercard.payment.cardpay;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;

import io.membercard.common.api.ApiResponse;
import io.membercard.common.api.Responses;
import io.membercard.common.security.Caller;
import io.membercard.common.security.Roles;
import io.membercard.common.web.QueryParams;
import io.smallrye.mutiny.Uni;

/** Card payments at the till: S1-20 to S1-23. */
@Path("/api/member/cardpay")
@Produces(MediaType.APPLICATION_JSON)
public class CardPayResource {
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final CardPayService service;
    private final Caller caller;

    public CardPayResource(CardPayService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @Path("/getcardinfo")
    @Operation(summary = "S1-20: what the till needs before a card payment")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<CardInfo>> info(@QueryParam("cardCode") String cardCode, @QueryParam("mac") String mac) {
        String code = QueryParams.requiredText("cardCode", cardCode, 32);
        String secret = QueryParams.requiredText("mac", mac, 64);
        return service.info(caller.tenantId(), code, secret).map(ApiResponse::ok);
    }

    @GET
    @Path("/getcardinfobymac")
    @Operation(summary = "S1-21: the same, found by the card's mac alone")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<CardInfo>> infoByMac(@QueryParam("mac") String mac) {
        return service.infoByMac(caller.tenantId(), QueryParams.requiredText("mac", mac, 64)).map(ApiResponse::ok);
    }

    @POST
    @Path("/pay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-22: card payment of money under bill number code", description = "Takes from the "
            + "actual and bonus balances in the tenant's order and earns points. A repeat of the same code and body "
            + "returns the first result; the same code with another body is 801. 605 when the balance is too low.")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<RestResponse<ApiResponse<CardInfo>>> pay(@Valid @NotNull PayRequest body) {
        return service.pay(caller.operator(), caller.shopId(), body).map(Responses::command);
    }

    @POST
    @Path("/refund")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-23: refund (whole or part) of the payment with bill number code", description = "Gives"
            + " money back to the balances the payment came from and takes back its points in proportion. 802 for "
            + "an unknown bill, 803 above what is left to refund. Send an Idempotency-Key header to make retries "
            + "safe.")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<RestResponse<ApiResponse<CardInfo>>> refund(@Valid @NotNull PayRequest body,
            @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        return service.refund(caller.operator(), caller.shopId(), body,
                QueryParams.optionalText(IDEMPOTENCY_KEY, idempotencyKey, 64)).map(Responses::command);
    }
}
