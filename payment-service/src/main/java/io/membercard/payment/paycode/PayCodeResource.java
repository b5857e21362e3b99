package io.membercard.payment.paycode;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
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
import io.membercard.payment.cardpay.CardPayResource;
import io.smallrye.mutiny.Uni;

/** Pay-code payments: S1-24, S1-25, S1-27. */
@Path("/api/member/paycode")
@Produces(MediaType.APPLICATION_JSON)
public class PayCodeResource {
    private final PayCodeService service;
    private final Caller caller;

    public PayCodeResource(PayCodeService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Path("/pay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-24: payment with a dynamic pay code", description = "orderCode is the serial. An "
            + "expired, used or unknown code is 606.")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<RestResponse<ApiResponse<PayCodeResult>>> pay(@Valid @NotNull PayCodeRequest body) {
        return service.pay(caller.operator(), caller.shopId(), body).map(Responses::command);
    }

    @POST
    @Path("/refund")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-25: refund of a pay-code payment by orderCode")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<RestResponse<ApiResponse<PayCodeResult>>> refund(@Valid @NotNull PayCodeRequest body,
            @HeaderParam(CardPayResource.IDEMPOTENCY_KEY) String idempotencyKey) {
        return service.refund(caller.operator(), caller.shopId(), body,
                QueryParams.optionalText(CardPayResource.IDEMPOTENCY_KEY, idempotencyKey, 64))
                .map(Responses::command);
    }

    @POST
    @Path("/query")
    @Operation(summary = "S1-27: state of a pay-code payment", description = "701 with the payment when paid, 703 "
            + "when unknown.")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<PayCodeResult>> query(@QueryParam("orderCode") String orderCode) {
        return service.query(caller.tenantId(), QueryParams.requiredText("orderCode", orderCode, 64));
    }
}
