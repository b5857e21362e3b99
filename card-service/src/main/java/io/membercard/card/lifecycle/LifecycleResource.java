package io.membercard.card.lifecycle;

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

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;

import io.membercard.common.api.ApiResponse;
import io.membercard.common.api.Responses;
import io.membercard.common.limits.ListRows;
import io.membercard.common.paging.Page;
import io.membercard.common.paging.PageQuery;
import io.membercard.common.security.Caller;
import io.membercard.common.security.Roles;
import io.membercard.common.web.QueryParams;
import io.smallrye.mutiny.Uni;

/** The card lifecycle: S1-29 return, S1-32 report loss, S1-33 found again, S1-34 replace, S1-35 void, S1-38 rewrite. */
@Path("/api/member/membercard")
@Produces(MediaType.APPLICATION_JSON)
public class LifecycleResource {
    private final LifecycleService service;
    private final CardLogRepository log;
    private final Caller caller;
    private final ListRows listRows;

    public LifecycleResource(LifecycleService service, CardLogRepository log, Caller caller, ListRows listRows) {
        this.service = service;
        this.listRows = listRows;
        this.log = log;
        this.caller = caller;
    }

    @GET
    @Path("/getcardlog")
    @Operation(summary = "The cards' lifecycle audit (managers)", description = "Newest first: every loss report, "
            + "finding, void, rewrite, replacement and return, with who did it at which shop, the other card of a "
            + "replacement, cardPresent (whether the card's secret was shown; false: a manager acted without it) "
            + "and amounts (what the account moved). Filter by cardCode, userId or shopId.")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    public Uni<Page<CardLogEntry, Void>> cardLog(@QueryParam("cardCode") String cardCode,
            @QueryParam("userId") String userId, @QueryParam("shopId") String shopId,
            @QueryParam("pageIndex") String pageIndex, @QueryParam("pageSize") String pageSize) {
        PageQuery page = PageQuery.parse(pageIndex, pageSize);
        var filter = new CardLogRepository.Filter(QueryParams.optionalText("cardCode", cardCode, 32),
                QueryParams.optionalText("userId", userId, 64), QueryParams.optionalLong("shopId", shopId));
        return listRows.take(caller.tenantId(), page).flatMap(ignored -> log.page(caller.tenantId(), filter, page));
    }

    @POST
    @Path("/reportloss")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-32: report a card lost", description = "No mac: the card is gone. An active card "
            + "becomes lost (3) and can no longer pay; reporting a lost card again changes nothing.")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<RestResponse<ApiResponse<Void>>> reportLoss(@Valid @NotNull LifecycleRequests.ReportLoss body) {
        return service.reportLoss(actor(), body).map(Responses::command);
    }

    @POST
    @Path("/cancelloss")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-33: a lost card is found again", description = "mac proves the card is back; it "
            + "becomes active (2).")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<RestResponse<ApiResponse<Void>>> cancelLoss(@Valid @NotNull LifecycleRequests.CancelLoss body) {
        return service.cancelLoss(actor(), body).map(Responses::command);
    }

    @POST
    @Path("/replace")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-34: replace a card", description = "The member, balances, bonus, points and history of "
            + "oldCardCode (active or lost) move to cardCode: an unwritten card, written now with mac, or an active "
            + "card without a member whose mac it is. The old card becomes replaced (6). An active old card needs "
            + "its secret in oldMac, whoever asks (400 without it); a lost one is replaced by a manager (403 for a "
            + "cashier). 703 when the balance service has not confirmed: the cards stay locked and the replacement "
            + "completes by itself.")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<RestResponse<ApiResponse<Void>>> replace(@Valid @NotNull LifecycleRequests.Replace body) {
        return service.replace(actor(), body).map(Responses::command);
    }

    @POST
    @Path("/void")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-35: void a card (manager)", description = "The card becomes void (4) and can no longer "
            + "be used; its account keeps its money, frozen.")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    public Uni<RestResponse<ApiResponse<Void>>> voidCard(@Valid @NotNull LifecycleRequests.VoidCard body) {
        return service.voidCard(actor(), body).map(Responses::command);
    }

    @POST
    @Path("/returncard")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-29: return a card", description = "The card's actual balance is paid back by "
            + "paymentType, its bonus and points are forfeited, and the card becomes returned (5). 703 when the "
            + "balance service has not confirmed: pay nothing out yet, the return completes by itself. mac proves "
            + "the card is there; without it only a manager returns a card (403 for a cashier).")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<RestResponse<ApiResponse<Void>>> returnCard(@Valid @NotNull LifecycleRequests.ReturnCard body) {
        return service.returnCard(actor(), body).map(Responses::command);
    }

    @POST
    @Path("/rewrite")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-38: write a card again with a new mac", description = "For an active card (a damaged "
            + "chip) or an unwritten one (a card imported without its mac). data is the card code. A written card, "
            + "or one that belongs to a member, is rewritten with its current secret in oldMac or by a manager "
            + "(403 for a cashier without it).")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<String>> rewrite(@Valid @NotNull LifecycleRequests.Rewrite body) {
        return service.rewrite(actor(), body).map(ApiResponse::ok);
    }

    private LifecycleService.Actor actor() {
        return new LifecycleService.Actor(caller.operator(), caller.shopId(), caller.isManager());
    }
}
