package io.membercard.member.setting;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
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
import io.membercard.common.limits.Limit;
import io.membercard.common.security.Caller;
import io.membercard.common.security.Roles;
import io.membercard.common.web.QueryParams;
import io.smallrye.mutiny.Uni;

/** The tenant's switches (S1-14, S1-15, the managers' save) and its limits (getlimits, savelimit). */
@Path("/api/member/setting")
@Produces(MediaType.APPLICATION_JSON)
public class SettingResource {
    private final SettingService service;
    private final TenantLimitService limits;
    private final DaySettingService days;
    private final Caller caller;

    public SettingResource(SettingService service, TenantLimitService limits, DaySettingService days, Caller caller) {
        this.service = service;
        this.limits = limits;
        this.days = days;
        this.caller = caller;
    }

    /** Body of save. */
    public record Save(@NotNull Integer key, @NotNull Boolean value) {
    }

    /** Body of savelimit: a limit's name (as getlimits lists it) and the tenant's value. */
    public record SaveLimit(String name, @NotNull @Min(1) Long value) {
    }

    @GET
    @Path("/getpasswordrequired")
    @Operation(summary = "S1-14: whether card payments need the card password")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<Boolean> passwordRequired() {
        return service.passwordRequired(caller.tenantId());
    }

    @GET
    @Path("/getlist")
    @Operation(summary = "S1-15: the tenant's switches", description = "key 1: card payments need the card "
            + "password; 2: card payments take paid-in money first; 3: bonus first (neither: in proportion).")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<List<SettingService.SettingView>> list() {
        return service.list(caller.tenantId());
    }

    @POST
    @Path("/save")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set one switch (manager); data is its key", description = "2 and 3 cannot both be on; "
            + "payment-service applies them to card payments within seconds.")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<Integer>> save(@Valid @NotNull Save body) {
        return service.save(caller.tenantId(), SettingKey.of(body.key()), body.value()).map(ApiResponse::ok);
    }

    @GET
    @Path("/getdayclose")
    @Operation(summary = "The tenant's day-close options", description = "{today, cutOff, zone, cutOffs: [{from, "
            + "cutOff, zone}], autoClose, graceMinutes, unclosedDay}: today's business day and the cut-off and zone "
            + "it runs by, the cut-off's history (from null: since always) with any change to come, whether days "
            + "close by themselves graceMinutes after they end, and what a shop's money operations get while its "
            + "previous business day is not closed (none, warn or block).")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<DaySettingService.View> dayClose() {
        return days.get(caller.tenantId());
    }

    @POST
    @Path("/savedayclose")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the tenant's day-close options (manager); data is getdayclose's answer", description = "Body {cutOff "
            + "(HH:mm), zone, autoClose, graceMinutes (0-1440), unclosedDay (none, warn, block)}, each optional. A new "
            + "cut-off or zone applies from the day after tomorrow's business day (tomorrow runs until it begins); payment-service and settlement-service apply the options within seconds.")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<DaySettingService.View>> saveDayClose(@NotNull DaySettingService.Save body) {
        return days.save(caller.tenantId(), body).map(ApiResponse::ok);
    }

    @GET
    @Path("/getlimits")
    @Operation(summary = "The tenant's limits (manager)", description = "Every limit: name, what it counts, value (the "
            + "tenant's limit now), platformDefault, set (whether the tenant has a value of its own), max (the most "
            + "the caller may set) and used (today's count of a daily limit, heavy jobs held now). A platform admin "
            + "names the tenant with tenantId.")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN, Roles.PLATFORM_ADMIN})
    public Uni<List<LimitView>> limits(@QueryParam("tenantId") String tenantId) {
        Long tenant = caller.readableTenant(QueryParams.optionalLong("tenantId", tenantId));
        if (tenant == null) {
            return Uni.createFrom().item(List.of());
        }
        return limits.list(tenant, caller.isPlatformAdmin());
    }

    @POST
    @Path("/savelimit")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set one of the tenant's limits (manager); data is the limit as getlimits lists it", description = "A tenant may only lower its limits, 1 up to the platform default; a platform admin (with "
            + "tenantId) may set any value up to the limit's ceiling. Saving the platform default makes the "
            + "limit follow it again. Applies to every service within 30 s.")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN, Roles.PLATFORM_ADMIN})
    public Uni<ApiResponse<LimitView>> saveLimit(@QueryParam("tenantId") String tenantId,
            @Valid @NotNull SaveLimit body) {
        Long requested = QueryParams.optionalLong("tenantId", tenantId);
        Long tenant = caller.readableTenant(requested);
        if (tenant == null) {
            throw ApiException.notFound("tenant " + requested);
        }
        Limit limit = Limit.of("name", body.name());
        return limits.save(tenant, limit, body.value(), caller.isPlatformAdmin(), caller.userId())
                .map(ApiResponse::ok);
    }
}
