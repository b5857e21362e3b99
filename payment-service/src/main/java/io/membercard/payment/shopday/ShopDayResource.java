package io.membercard.payment.shopday;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.ApiResponse;
import io.membercard.common.web.QueryParams;
import io.smallrye.mutiny.Uni;

/**
 * A shop-day's ledger for settlement-service's day close (service key required; not routed by the gateway). The
 * caller names the tenant: a close runs as a job, without a user's token; the day is {@code [from, to)}, which the
 * caller computes from the tenant's cut-off.
 */
@Path("/internal/service/shopdays")
@Produces(MediaType.APPLICATION_JSON)
public class ShopDayResource {
    /** The longest day a close may ask for (a business day is 24 hours, 23 or 25 across a clock change). */
    private static final long MAX_HOURS = 26;

    private final ShopDayRepository repository;

    public ShopDayResource(ShopDayRepository repository) {
        this.repository = repository;
    }

    @GET
    @PermitAll
    @Operation(hidden = true)
    public Uni<ApiResponse<ShopDay>> read(@QueryParam("tenantId") String tenantId,
            @QueryParam("shopId") String shopId, @QueryParam("from") String from, @QueryParam("to") String to) {
        long tenant = QueryParams.requiredId("tenantId", tenantId);
        Long shop = QueryParams.optionalLong("shopId", shopId);
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (!end.isAfter(start) || end.isAfter(start.plusSeconds(MAX_HOURS * 3600))) {
            throw ApiException.badInput("to", "must be after from, by at most " + MAX_HOURS + " hours");
        }
        return repository.read(tenant, shop, start, end).map(ApiResponse::ok);
    }

    /**
     * When the shop's (or, without a shop, the tenant's) first ledger entry was written, or null: a close of a day
     * before it is refused. Another tenant's shop has none in this tenant.
     */
    @GET
    @Path("/first")
    @PermitAll
    @Operation(hidden = true)
    public Uni<ApiResponse<First>> first(@QueryParam("tenantId") String tenantId, @QueryParam("shopId") String shopId) {
        long tenant = QueryParams.requiredId("tenantId", tenantId);
        Long shop = QueryParams.optionalLong("shopId", shopId);
        return repository.firstEntry(tenant, shop).map(at -> ApiResponse.ok(new First(at)));
    }

    /** Answer of {@link #first}. */
    public record First(Instant firstEntryAt) {
    }

    private static Instant instant(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            throw ApiException.badInput(name, "is required (an ISO-8601 instant)");
        }
        try {
            return Instant.parse(raw.trim());
        } catch (DateTimeParseException e) {
            throw ApiException.badInput(name, "must be an ISO-8601 instant such as 2026-12-01T16:00:00Z");
        }
    }
}
