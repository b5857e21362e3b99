package io.membercard.member.setting;

import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.membercard.common.api.ApiResponse;
import io.membercard.common.limits.LimitSetting;
import io.membercard.common.web.QueryParams;
import io.smallrye.mutiny.Uni;

/**
 * A tenant's own limits for the other services (common's {@code RemoteTenantLimitSource}), which keep them a while.
 * Service key required (ServiceKeyFilter): partner requests carry no token, and their quotas need the limits too.
 * Not routed by the gateway.
 */
@Path("/internal/service/limits")
@Produces(MediaType.APPLICATION_JSON)
public class InternalLimitResource {
    private final TenantLimitService service;

    public InternalLimitResource(TenantLimitService service) {
        this.service = service;
    }

    @GET
    @PermitAll
    @Operation(hidden = true)
    public Uni<ApiResponse<List<LimitSetting>>> tenantValues(@QueryParam("tenantId") String tenantId) {
        return service.tenantValues(QueryParams.requiredId("tenantId", tenantId))
                .map(values -> ApiResponse.ok(List.copyOf(values.values())));
    }
}
