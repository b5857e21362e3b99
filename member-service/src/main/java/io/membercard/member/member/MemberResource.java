package io.membercard.member.member;

import java.time.ZoneId;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.ApiResponse;
import io.membercard.common.config.CommonConfig;
import io.membercard.common.limits.ListRows;
import io.membercard.common.paging.Page;
import io.membercard.common.paging.PageQuery;
import io.membercard.common.security.Caller;
import io.membercard.common.security.Roles;
import io.membercard.common.time.Dates;
import io.membercard.common.web.QueryParams;
import io.membercard.member.projection.ProjectionReconcile;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** Members: S1-00 to S1-06, S1-18 and S1-19. */
@Path("/api/member/member")
@Produces(MediaType.APPLICATION_JSON)
public class MemberResource {
    private final MemberService service;
    private final ProjectionReconcile reconcile;
    private final Caller caller;
    private final ListRows listRows;
    private final ZoneId zone;

    public MemberResource(MemberService service, ProjectionReconcile reconcile, Caller caller, CommonConfig config,
            ListRows listRows) {
        this.service = service;
        this.listRows = listRows;
        this.reconcile = reconcile;
        this.caller = caller;
        this.zone = ZoneId.of(config.timeZone());
    }

    @GET
    @Path("/get")
    @Operation(summary = "S1-00: a member with its card and the card's figures", description = "A cashier reads a "
            + "member of the shop in its token, or one it found by a whole key (search) within the last 30 minutes; "
            + "any other is answered 404, like an id that does not exist. Cashiers see phone and identity numbers "
            + "masked, and a cashier's look-ups are limited per minute (429).")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<MemberView> get(@QueryParam("id") String id) {
        long member = QueryParams.requiredId("id", id);
        return service.get(caller.tenantId(), member, Till.of(caller));
    }

    @GET
    @Path("/getlist")
    @Operation(summary = "S1-01: a page of members, newest first", description = "keyword matches any part of the "
            + "name, phone or card code (three characters or more; shorter: the start of the name, or a whole phone "
            + "or card code); memberLevel is a level id; status is the card's status. sumData sums the figures of "
            + "every member selected. A cashier lists only the members of the shop in the token, and only by a "
            + "whole phone number or card code (keyword required, compared whole; 400 for a keyword that can be "
            + "neither), with phone and identity numbers masked; its look-ups are limited per minute (429).")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<Page<MemberView, MemberSums>> list(@QueryParam("keyword") String keyword,
            @QueryParam("memberLevel") String memberLevel, @QueryParam("pageIndex") String pageIndex,
            @QueryParam("pageSize") String pageSize, @QueryParam("shopId") String shopId,
            @QueryParam("status") String status) {
        MemberService.ListFilter filter = filter(keyword, memberLevel, shopId, status, null, null, null);
        PageQuery page = PageQuery.parse(pageIndex, pageSize);
        return listRows.take(caller.tenantId(), page)
                .flatMap(ignored -> service.list(caller.tenantId(), filter, page, Till.of(caller)));
    }

    @GET
    @Path("/getlistbydate")
    @Operation(summary = "S1-02: members who joined between startDate and endDate (for export)", description = "As "
            + "getlist (a cashier's needs a whole phone number or card code); endDate includes its whole day when it "
            + "is a date.")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<Page<MemberView, MemberSums>> listByDate(@QueryParam("startDate") String startDate,
            @QueryParam("endDate") String endDate, @QueryParam("keyword") String keyword,
            @QueryParam("memberLevel") String memberLevel, @QueryParam("pageIndex") String pageIndex,
            @QueryParam("pageSize") String pageSize, @QueryParam("shopId") String shopId,
            @QueryParam("status") String status) {
        MemberService.ListFilter filter = filter(keyword, memberLevel, shopId, status, startDate, endDate, null);
        PageQuery page = PageQuery.parse(pageIndex, pageSize);
        return listRows.take(caller.tenantId(), page)
                .flatMap(ignored -> service.list(caller.tenantId(), filter, page, Till.of(caller)));
    }

    @GET
    @Path("/getlistbyclass")
    @Operation(summary = "S1-03: every member of a card class", description = "Streamed, however many there are: "
            + "browsing, for managers (a cashier finds members by a whole key instead). tenantId is honoured for "
            + "platform-admin only (anyone else naming another tenant gets []).")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN, Roles.PLATFORM_ADMIN})
    public Multi<MemberView> listByClass(@QueryParam("classId") String classId, @QueryParam("shopId") String shopId,
            @QueryParam("tenantId") String tenantId) {
        long cardClass = QueryParams.requiredId("classId", classId);
        Long tenant = caller.readableTenant(QueryParams.optionalLong("tenantId", tenantId));
        if (tenant == null) {
            return Multi.createFrom().empty();
        }
        Long shop = caller.isPlatformAdmin()
                ? QueryParams.optionalLong("shopId", shopId)
                : caller.shopScope(QueryParams.optionalLong("shopId", shopId));
        return service.byClass(tenant, new MemberService.ListFilter(null, null, shop, null, null, null, cardClass));
    }

    @GET
    @Path("/getcardstatuslist")
    @Operation(summary = "S1-04: card states as key/value")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public List<CardNames.KeyValue> cardStatuses() {
        return CardNames.STATUSES;
    }

    @GET
    @Path("/getcardsendmodelist")
    @Operation(summary = "S1-05: card send modes as key/value")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public List<CardNames.KeyValue> sendModes() {
        return CardNames.SEND_MODES;
    }

    @GET
    @Path("/search")
    @Operation(summary = "S1-06: members by keyword, or the member of the card whose mac the till read", description = "mac finds the one member of that card. For a manager, keyword is as in getlist (up to 50 members). "
            + "A cashier finds the member in front of it: keyword must be a whole phone number or card code and is "
            + "compared whole (400 naming keyword for one that can be neither; [] for one that is no member's), "
            + "among every shop of the tenant, a few members at most, with phone and identity numbers masked; its "
            + "look-ups are limited per minute (429). Figures are payment-service's live ones when it answers.")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<List<MemberView>> search(@QueryParam("keyword") String keyword, @QueryParam("mac") String mac) {
        String text = QueryParams.optionalText("keyword", keyword, 32);
        String secret = QueryParams.optionalText("mac", mac, 64);
        return service.search(caller.tenantId(), text, secret, Till.of(caller));
    }

    @POST
    @Path("/create")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-18: a new member; data is its id", description = "cardCode names an unissued card "
            + "(a batch order's, unwritten or written without a member; cardMac writes an unwritten one or must match "
            + "a written one), or cardSendMode 4 makes a virtual card of class cardClassId. name and phone are "
            + "required. The member's shop is the token's shop (a manager without one names it with ?shopId=).")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<Long>> create(@QueryParam("shopId") String shopId, @NotNull MemberSave body) {
        Long shop = caller.shopScope(QueryParams.optionalLong("shopId", shopId));
        if (shop == null) {
            shop = caller.shopId();
        }
        if (shop == null) {
            throw ApiException.badInput("shopId", "is required for a token without shop_id");
        }
        return service.create(caller.operator(), shop, body, Till.of(caller)).map(ApiResponse::ok);
    }

    @POST
    @Path("/update")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "S1-19: change a member's profile, level and tags", description = "id names the member; "
            + "absent fields keep their value, and so does a phone or idCard sent back masked as it was shown. The "
            + "card is changed by replace, not here. A cashier changes a member it may read (see get); its changes "
            + "count as look-ups.")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<Void>> update(@NotNull MemberSave body) {
        return service.update(caller.tenantId(), body, Till.of(caller)).map(ignored -> ApiResponse.ok());
    }

    @POST
    @Path("/reconcile")
    @Operation(summary = "Bring member-service's copy of the account figures up to payment-service's (admin)", description = "For a copy that missed events: every account of the tenant is read from payment-service "
            + "and applied where newer, and the list sums are recomputed. tenantId is honoured for "
            + "platform-admin only.")
    @RolesAllowed({Roles.ADMIN, Roles.PLATFORM_ADMIN})
    public Uni<ApiResponse<ProjectionReconcile.Report>> reconcile(@QueryParam("tenantId") String tenantId) {
        Long tenant = caller.readableTenant(QueryParams.optionalLong("tenantId", tenantId));
        if (tenant == null) {
            throw ApiException.notFound("tenant " + tenantId);
        }
        return reconcile.reconcile(tenant).map(ApiResponse::ok);
    }

    private MemberService.ListFilter filter(String keyword, String level, String shopId, String status,
            String startDate, String endDate, Long classId) {
        Integer cardStatus = QueryParams.optionalInt("status", status);
        if (cardStatus != null && (cardStatus < 1 || cardStatus > 7)) {
            throw ApiException.badInput("status", "must be a card status from 1 to 7");
        }
        return new MemberService.ListFilter(QueryParams.optionalText("keyword", keyword, 32),
                QueryParams.optionalLong("memberLevel", level),
                caller.shopScope(QueryParams.optionalLong("shopId", shopId)), cardStatus,
                Dates.parseStart("startDate", startDate, zone), Dates.parseEndExclusive("endDate", endDate, zone),
                classId);
    }
}
