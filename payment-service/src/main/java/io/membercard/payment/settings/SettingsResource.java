package io.membercard.payment.settings;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.ApiResponse;
import io.membercard.common.web.QueryParams;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Service-to-service: member-service passes on the tenant's payment switches (service key required). */
@Path("/internal/service/tenants/{tenantId}/payment-settings")
public class SettingsResource {
    private final TenantSettings settings;
    private final Pool pool;

    public SettingsResource(TenantSettings settings, Pool pool) {
        this.settings = settings;
        this.pool = pool;
    }

    /** Body: {@code {"splitOrder": "PROPORTIONAL" | "ACTUAL_FIRST" | "GIVE_FIRST"}}. */
    public record Settings(String splitOrder) {
    }

    @PUT
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a tenant's payment settings (service to service)", hidden = true)
    public Uni<ApiResponse<Void>> put(@PathParam("tenantId") String tenantId, Settings body) {
        long tenant = QueryParams.requiredId("tenantId", tenantId);
        SplitOrder order;
        try {
            order = SplitOrder.valueOf(body == null || body.splitOrder() == null ? "" : body.splitOrder());
        } catch (IllegalArgumentException e) {
            throw ApiException.badInput("splitOrder", "must be PROPORTIONAL, ACTUAL_FIRST or GIVE_FIRST");
        }
        return settings.setSplitOrder(pool, tenant, order, java.time.Instant.now()).map(ignored -> ApiResponse.ok());
    }
}
