package io.membercard.card.batchorder;

import java.time.ZoneId;

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

import io.membercard.card.card.MacGuard;
import io.membercard.common.api.ApiException;
import io.membercard.common.api.ApiResponse;
import io.membercard.common.api.Responses;
import io.membercard.common.config.CommonConfig;
import io.membercard.common.limits.ListRows;
import io.membercard.common.paging.Page;
import io.membercard.common.paging.PageQuery;
import io.membercard.common.security.Caller;
import io.membercard.common.security.Roles;
import io.membercard.common.time.Dates;
import io.membercard.common.web.QueryParams;
import io.smallrye.mutiny.Uni;

/** Seed 000: batch card orders and card writing. */
@Path("/api/member/membercard")
@Produces(MediaType.APPLICATION_JSON)
public class BatchOrderResource {
    private final BatchOrderService service;
    private final Caller caller;
    private final ListRows listRows;
    private final ZoneId zone;

    public BatchOrderResource(BatchOrderService service, Caller caller, CommonConfig config, ListRows listRows) {
        this.service = service;
        this.listRows = listRows;
        this.caller = caller;
        this.zone = ZoneId.of(config.timeZone());
    }

    @GET
    @Path("/getcreateorder")
    @Operation(summary = "One batch card order with a page of its cards, one detail per card", description = "details "
            + "holds at most detailPageSize cards (default and most 500) of page detailPageIndex (from 1), in code "
            + "order: all of them for an order of up to 500 cards. detailCount is the number of cards of the order, "
            + "so a till reads the next page while detailPageIndex × detailPageSize < detailCount.")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<BatchOrderView> get(@QueryParam("id") String id, @QueryParam("detailPageIndex") String detailPageIndex,
            @QueryParam("detailPageSize") String detailPageSize) {
        long orderId = QueryParams.requiredId("id", id);
        PageQuery detailPage = PageQuery.parse("detailPageIndex", detailPageIndex, "detailPageSize", detailPageSize,
                PageQuery.MAX_SIZE);
        return service.get(caller.tenantId(), caller.shopScope(null), orderId, detailPage);
    }

    @GET
    @Path("/getcreateorderlist")
    @Operation(summary = "A page of batch card orders, newest first", description = "keyword matches the order "
            + "number, shop name, card class name, or a card code of the order; sumData sums the counts of every "
            + "matching order. Rows carry no details: read the order for its cards.")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<Page<BatchOrderView, OrderSums>> list(@QueryParam("shopid") String shopId,
            @QueryParam("startDate") String startDate, @QueryParam("endDate") String endDate,
            @QueryParam("isFinished") String isFinished, @QueryParam("keyword") String keyword,
            @QueryParam("pageIndex") String pageIndex, @QueryParam("pageSize") String pageSize) {
        PageQuery page = PageQuery.parse(pageIndex, pageSize);
        var filter = new BatchOrderService.ListFilter(
                caller.shopScope(QueryParams.optionalLong("shopid", shopId)),
                Dates.parseStart("startDate", startDate, zone),
                Dates.parseEndExclusive("endDate", endDate, zone),
                QueryParams.optionalBoolean("isFinished", isFinished),
                QueryParams.optionalText("keyword", keyword, 64));
        return listRows.take(caller.tenantId(), page).flatMap(ignored -> service.list(caller.tenantId(), filter, page));
    }

    @POST
    @Path("/batchcreate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "New batch card order", description = "Creates expectCount cards (or up to endCode) "
            + "from startCode, keeping its width and incrementing its numeric tail, all unwritten. A range that "
            + "would reuse any existing card code is refused whole. data is the new order's id; a client code "
            + "makes the call idempotent. The cards count against the tenant's batchCardsPerDay (429 beyond, and "
            + "nothing is created; a retry with the same code is not counted again).")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    public Uni<RestResponse<ApiResponse<Long>>> create(@QueryParam("shopid") String shopId,
            @Valid @NotNull BatchCreateRequest body) {
        Long queryShop = QueryParams.optionalLong("shopid", shopId);
        if (queryShop != null && body.shopId() != null && !queryShop.equals(body.shopId())) {
            throw ApiException.badInput("shopId", "differs from shopid in the query");
        }
        Long shop = caller.shopScope(queryShop != null ? queryShop : body.shopId());
        if (shop == null) {
            throw ApiException.badInput("shopid", "is required");
        }
        return service.create(caller.operator(), shop, body).map(Responses::command);
    }

    @POST
    @Path("/writecard")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A card was written", description = "Binds mac (stored only as a hash) to the detail's "
            + "card, activates it, counts writeCount, moves currentCode and finishes the order with its last card. "
            + "data is the card code. A detail written before is refused with 409.")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<String>> write(@Valid @NotNull WriteCardRequest body) {
        return service.write(MacGuard.Guesser.of(caller), caller.shopScope(null), body).map(ApiResponse::ok);
    }
}
