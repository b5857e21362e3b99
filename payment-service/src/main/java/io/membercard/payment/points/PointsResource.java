package io.membercard.payment.points;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;

import io.membercard.common.api.ApiResponse;
import io.membercard.common.api.Responses;
import io.membercard.common.security.Caller;
import io.membercard.common.security.Roles;
import io.membercard.common.web.QueryParams;
import io.membercard.payment.cardpay.CardPayResource;
import io.smallrye.mutiny.Uni;

/** S1-36: points for gifts. */
@Path("/api/member/points")
@Produces(MediaType.APPLICATION_JSON)
public class PointsResource {
    private final PointsService service;
    private final Caller caller;

    public PointsResource(PointsService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Path("/exchangegift")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-36: spend points on a gift", description = "607 with too few points, 608 when the gift "
            + "is unavailable. The Idempotency-Key header is required (the serial number).")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<RestResponse<ApiResponse<Void>>> exchange(@Valid @NotNull ExchangeGiftRequest body,
            @HeaderParam(CardPayResource.IDEMPOTENCY_KEY) String idempotencyKey) {
        String serial = QueryParams.requiredText(CardPayResource.IDEMPOTENCY_KEY, idempotencyKey, 64);
        return service.exchange(caller.operator(), caller.shopId(), serial, body).map(Responses::command);
    }
}
