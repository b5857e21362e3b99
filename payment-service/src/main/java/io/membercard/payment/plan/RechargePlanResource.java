package io.membercard.payment.plan;

import java.math.BigDecimal;
import java.util.List;

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

import io.membercard.common.api.ApiException;
import io.membercard.common.api.ApiResponse;
import io.membercard.common.money.Money;
import io.membercard.common.security.Caller;
import io.membercard.common.security.Roles;
import io.membercard.common.web.QueryParams;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Recharge plans: S1-13, and the managers' save and disable. */
@Path("/api/member/rechargeplan")
@Produces(MediaType.APPLICATION_JSON)
public class RechargePlanResource {
    private final RechargePlanRepository plans;
    private final Pool pool;
    private final Caller caller;

    public RechargePlanResource(RechargePlanRepository plans, Pool pool, Caller caller) {
        this.plans = plans;
        this.pool = pool;
        this.caller = caller;
    }

    @GET
    @Path("/getlist")
    @Operation(summary = "S1-13: the tenant's recharge plans in use")
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<List<RechargePlan>> list() {
        return plans.listInUse(pool, caller.tenantId());
    }

    @POST
    @Path("/save")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create (id absent or 0) or update a recharge plan; data is its id")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<Long>> save(@Valid @NotNull RechargePlanSave body) {
        BigDecimal pay = Money.of("payMoney", body.payMoney());
        BigDecimal give = Money.of("giveMoney", body.giveMoney());
        if (pay.signum() == 0) {
            throw ApiException.badInput("payMoney", "must be more than 0");
        }
        // The contract's reading: money is the principal (= payMoney); pay + give is understood too.
        BigDecimal money = Money.of("money", body.money());
        if (money != null && money.compareTo(pay) != 0 && money.compareTo(pay.add(give)) != 0) {
            throw ApiException.badInput("money", "must be payMoney (" + pay + ")"
                    + (give.signum() > 0 ? ", or payMoney + giveMoney (" + pay.add(give) + ")" : ""));
        }
        if (body.startTime() != null && body.endTime() != null && !body.endTime().isAfter(body.startTime())) {
            throw ApiException.badInput("endTime", "must be after startTime");
        }
        Long id = body.id() == null || body.id() == 0 ? null : body.id();
        return plans.save(pool, caller.tenantId(), id, body, pay).map(saved -> {
            if (saved == null) {
                throw ApiException.notFound("recharge plan " + id);
            }
            return ApiResponse.ok(saved);
        });
    }

    @POST
    @Path("/disable")
    @Operation(summary = "Take a recharge plan out of use; recharges made with it keep it")
    @RolesAllowed({Roles.MANAGER, Roles.ADMIN})
    public Uni<ApiResponse<Void>> disable(@QueryParam("id") String id) {
        long planId = QueryParams.requiredId("id", id);
        return plans.disable(pool, caller.tenantId(), planId).map(found -> {
            if (!found) {
                throw ApiException.notFound("recharge plan " + planId);
            }
            return ApiResponse.ok();
        });
    }
}
