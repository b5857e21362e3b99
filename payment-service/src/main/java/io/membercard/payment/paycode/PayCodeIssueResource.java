package io.membercard.payment.paycode;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.ApiResponse;
import io.membercard.common.web.QueryParams;
import io.smallrye.mutiny.Uni;

/** Issues pay codes for a card (service to service: wechat-gateway calls it with the service key). */
@Path("/internal/service/paycodes")
@Produces(MediaType.APPLICATION_JSON)
public class PayCodeIssueResource {
    private final PayCodeService service;

    public PayCodeIssueResource(PayCodeService service) {
        this.service = service;
    }

    /** Body of the internal issue call. */
    public record IssueRequest(Long tenantId, String cardCode) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    @PermitAll
    public Uni<ApiResponse<PayCodeIssued>> issue(IssueRequest body) {
        if (body == null || body.tenantId() == null || body.tenantId() < 1) {
            throw ApiException.badInput("tenantId", "is required");
        }
        return service.issue(body.tenantId(), QueryParams.requiredText("cardCode", body.cardCode(), 32))
                .map(ApiResponse::ok);
    }
}
