package io.membercard.card.lifecycle;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
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
import io.smallrye.mutiny.Uni;

/** The card lifecycle: S1-29 return, S1-32 report loss, S1-33 found again, S1-34 replace, S1-35 void, S1-38 rewrite. */
@Path("/api/member/membercard")
@Produces(MediaType.APPLICATION_JSON)
public class LifecycleResource {
    private final LifecycleService service;
    private final Caller caller;

    public LifecycleResource(LifecycleService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Path("/reportloss")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-32: report a card lost", description = "No mac: the card is gone. An active card "
            + "becomes lost (3) and can no longer pay; reporting a lost card again changes nothing.")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<RestResponse<ApiResponse<Void>>> reportLoss(@Valid @NotNull LifecycleRequests.ReportLoss body) {
        return service.reportLoss(caller.operator(), body).map(Responses::command);
    }

    @POST
    @Path("/cancelloss")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-33: a lost card is found again", description = "mac proves the card is back; it "
            + "becomes active (2).")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<RestResponse<ApiResponse<Void>>> cancelLoss(@Valid @NotNull LifecycleRequests.CancelLoss body) {
        return service.cancelLoss(caller.operator(), body).map(Responses::command);
    }

    @POST
    @Path("/replace")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-34: replace a card", description = "The member, balances, bonus, points and history of "
            + "oldCardCode (active or lost) move to cardCode: an unwritten card, written now with mac, or an active "
            + "card without a member whose mac it is. The old card becomes replaced (6). 703 when the balance "
            + "service has not confirmed: the cards stay locked and the replacement completes by itself.")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<RestResponse<ApiResponse<Void>>> replace(@Valid @NotNull LifecycleRequests.Replace body) {
        return service.replace(caller.operator(), caller.shopId(), body).map(Responses::command);
    }

    @POST
    @Path("/void")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-35: void a card (manager)", description = "The card becomes void (4) and can no longer "
            + "be used; its account keeps its money, frozen.")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    public Uni<RestResponse<ApiResponse<Void>>> voidCard(@Valid @NotNull LifecycleRequests.VoidCard body) {
        return service.voidCard(caller.operator(), body).map(Responses::command);
    }

    @POST
    @Path("/returncard")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-29: return a card", description = "The card's actual balance is paid back by "
            + "paymentType, its bonus and points are forfeited, and the card becomes returned (5). 703 when the "
            + "balance service has not confirmed: pay nothing out yet, the return completes by itself.")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<RestResponse<ApiResponse<Void>>> returnCard(@Valid @NotNull LifecycleRequests.ReturnCard body) {
        return service.returnCard(caller.operator(), caller.shopId(), body).map(Responses::command);
    }

    @POST
    @Path("/rewrite")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-38: write a card again with a new mac", description = "For an active card (a damaged "
            + "chip) or an unwritten one (a card imported without its mac). data is the card code.")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<String>> rewrite(@Valid @NotNull LifecycleRequests.Rewrite body) {
        return service.rewrite(caller.operator(), body).map(ApiResponse::ok);
    }

}
