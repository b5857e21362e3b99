package io.membercard.payment.recharge;

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
import io.membercard.common.idempotency.Idempotent;
import io.membercard.common.security.Caller;
import io.membercard.common.security.Roles;
import io.membercard.common.web.QueryParams;
import io.membercard.payment.cardpay.CardPayResource;
import io.smallrye.mutiny.Uni;

/** Recharges and recharge refunds: S1-16, S1-17, S1-28, S1-30, S1-31. */
@Path("/api/member/recharge")
@Produces(MediaType.APPLICATION_JSON)
public class RechargeResource {
    private final RechargeService service;
    private final Caller caller;

    public RechargeResource(RechargeService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Path("/recharge")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-28: recharge a card", description = "details add up to payMoney; planId's plan fixes "
            + "giveMoney; without a plan only a manager may give a bonus. The Idempotency-Key header is required: "
            + "it is the serial number and becomes the recharge's rechargeCode.")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<RestResponse<ApiResponse<Void>>> recharge(@Valid @NotNull RechargeRequest body,
            @HeaderParam(CardPayResource.IDEMPOTENCY_KEY) String idempotencyKey) {
        String serial = QueryParams.requiredText(CardPayResource.IDEMPOTENCY_KEY, idempotencyKey, 64);
        return service.recharge(caller.operator(), caller.isManager(), caller.shopId(), serial, body)
                .map(Responses::command);
    }

    @GET
    @Path("/getrefund")
    @Operation(summary = "S1-16: what refunding the card's latest recharge would pay back")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<RechargeRefundView> quote(@QueryParam("cardCode") String cardCode) {
        return service.quote(caller.tenantId(), QueryParams.requiredText("cardCode", cardCode, 32), false);
    }

    @GET
    @Path("/getrefundoriginal")
    @Operation(summary = "S1-17: the same, split by the recharge's original payment types")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<RechargeRefundView> quoteOriginal(@QueryParam("cardCode") String cardCode) {
        return service.quote(caller.tenantId(), QueryParams.requiredText("cardCode", cardCode, 32), true);
    }

    @POST
    @Path("/refund")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-30: refund one recharge (rechargeCode) by paymentType", description = "Claws back the "
            + "recharge's bonus; bonus already spent is deducted from the money paid back. billNo is the serial.")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<RestResponse<ApiResponse<Void>>> refund(@Valid @NotNull RechargeRefundRequest body) {
        return service.refund(caller.operator(), caller.shopId(), body, RechargeService.Route.BY_TYPE)
                .map(RechargeResource::withoutData);
    }

    @POST
    @Path("/refundoriginal")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-31: refund a recharge along its original payment types", description = "details "
            + "(recordId as getrefundoriginal lists them) never pay more back to a payment than came in by it.")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<RestResponse<ApiResponse<Void>>> refundOriginal(@Valid @NotNull RechargeRefundRequest body) {
        return service.refund(caller.operator(), caller.shopId(), body, RechargeService.Route.ORIGINAL)
                .map(RechargeResource::withoutData);
    }

    @POST
    @Path("/refundonline")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-26: refund a recharge along its original payment types, its WeChat or Alipay part "
            + "through that channel", description = "As refundoriginal, with one online part paid back through "
                    + "WeChat Pay or Alipay. The refund is made on the card first, then sent to the channel. 200: paid "
                    + "back, data is {paymentType, timestamp}. 703: pending; the card holds the money; pay nothing out "
                    + "yet and ask again with the same billNo (it also settles by itself). 702: not paid back; the "
                    + "refund was undone and the card is as it was.")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<RestResponse<ApiResponse<RefundResult>>> refundOnline(@Valid @NotNull RechargeRefundRequest body) {
        return service.refund(caller.operator(), caller.shopId(), body, RechargeService.Route.ONLINE)
                .map(Responses::command);
    }

    /** S1-30 and S1-31 answer without data, as the seed shows. */
    private static RestResponse<ApiResponse<Void>> withoutData(Idempotent<RefundResult> outcome) {
        return Responses.command(new Idempotent<Void>(null, outcome.replayed(), outcome.message()));
    }
}
