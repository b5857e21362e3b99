package io.membercard.common;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.ApiResponse;
import io.membercard.common.api.Responses;
import io.membercard.common.api.StatusCode;
import io.membercard.common.idempotency.IdempotencyKey;
import io.membercard.common.idempotency.IdempotencyStore;
import io.membercard.common.idempotency.Idempotent;
import io.membercard.common.money.Money;
import io.membercard.common.money.MoneyAmount;
import io.membercard.common.paging.PageQuery;
import io.membercard.common.security.Caller;
import io.membercard.common.web.QueryParams;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Test-only endpoints that exercise the shared library the way a service uses it. */
@Path("/probe")
public class ProbeResource {
    private final Caller caller;
    private final IdempotencyStore idempotency;
    private final Pool pool;

    public ProbeResource(Caller caller, IdempotencyStore idempotency, Pool pool) {
        this.caller = caller;
        this.idempotency = idempotency;
        this.pool = pool;
    }

    public record Item(@NotBlank String cardCode, @NotNull @MoneyAmount BigDecimal money) {
    }

    public record Body(@NotBlank @Size(max = 8) String name, @NotNull @MoneyAmount BigDecimal money,
            @Min(1) @Max(100) Integer count, Instant when, List<@Valid Item> items) {
    }

    public record Echo(String name, BigDecimal money, Integer count, Instant when) {
    }

    @POST
    @Path("/echo")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"cashier", "manager"})
    public ApiResponse<Echo> echo(@Valid @NotNull Body body) {
        return ApiResponse.ok(new Echo(body.name(), Money.of("money", body.money()), body.count(), body.when()));
    }

    @GET
    @Path("/fail")
    @RolesAllowed("cashier")
    public String fail(@QueryParam("kind") String kind) {
        switch (kind == null ? "" : kind) {
            case "business" -> throw new ApiException(StatusCode.BALANCE_TOO_LOW, "balance 1.00 is below 2.00");
            case "missing" -> throw ApiException.notFound("order 5");
            default -> throw new IllegalStateException("secret internal detail");
        }
    }

    public record Who(long tenantId, Long shopId, String userId, String userName, boolean manager) {
    }

    @GET
    @Path("/whoami")
    @RolesAllowed({"cashier", "manager"})
    public Who whoami() {
        return new Who(caller.tenantId(), caller.shopId(), caller.userId(), caller.userName(), caller.isManager());
    }

    @GET
    @Path("/shop")
    @RolesAllowed({"cashier", "manager"})
    public Long shop(@QueryParam("shopId") String shopId) {
        return caller.shopScope(QueryParams.optionalLong("shopId", shopId));
    }

    @GET
    @Path("/manager-only")
    @RolesAllowed("manager")
    public String managerOnly() {
        return "ok";
    }

    @GET
    @Path("/page")
    @RolesAllowed("cashier")
    public PageQuery page(@QueryParam("pageIndex") String pageIndex, @QueryParam("pageSize") String pageSize) {
        return PageQuery.parse(pageIndex, pageSize);
    }

    public record Charge(@NotBlank String code, @NotNull @MoneyAmount BigDecimal money) {
    }

    public record Charged(String code, BigDecimal money, long effectId) {
    }

    /** An idempotent command: records one effect per serial. */
    @POST
    @Path("/charge")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("cashier")
    public Uni<RestResponse<ApiResponse<Charged>>> charge(@Valid @NotNull Charge body) {
        long tenant = caller.tenantId();
        BigDecimal money = Money.of("money", body.money());
        IdempotencyKey key = IdempotencyKey.of(tenant, "probe-charge", body.code(), new Charge(body.code(), money));
        return idempotency.run(pool, key, Charged.class,
                tx -> tx.preparedQuery(
                        "insert into probe_effect (tenant_id, serial, amount) values ($1, $2, $3) returning id")
                        .execute(Tuple.of(tenant, body.code(), money))
                        .map(rows -> new Charged(body.code(), money, rows.iterator().next().getLong("id"))))
                .map(Responses::command);
    }

    /** Like {@link #charge} but the work fails after its effect: nothing may remain. */
    @POST
    @Path("/charge-then-fail")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("cashier")
    public Uni<Idempotent<Charged>> chargeThenFail(@Valid @NotNull Charge body) {
        long tenant = caller.tenantId();
        IdempotencyKey key = IdempotencyKey.of(tenant, "probe-charge", body.code(), body);
        return idempotency.run(pool, key, Charged.class,
                tx -> tx.preparedQuery("insert into probe_effect (tenant_id, serial, amount) values ($1, $2, $3)")
                        .execute(Tuple.of(tenant, body.code(), body.money()))
                        .map(rows -> {
                            throw new ApiException(StatusCode.BALANCE_TOO_LOW);
                        }));
    }
}
