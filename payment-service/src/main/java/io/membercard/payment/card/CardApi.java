package io.membercard.payment.card;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.ApiResponse;
import io.membercard.common.api.StatusCode;
import io.membercard.common.internal.ForwardedAuthorization;
import io.membercard.common.internal.ServiceKeyFilter;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;

/** card-service's internal card checks. Calls carry the caller's token, so card-service applies its tenant. */
@RegisterRestClient(configKey = "card-service")
@RegisterClientHeaders(ForwardedAuthorization.class)
interface CardApi {

    @GET
    @Path("/internal/cards/check")
    Uni<ApiResponse<CardCheck>> check(@QueryParam("cardCode") String cardCode, @QueryParam("mac") String mac);

    @GET
    @Path("/internal/cards/check-by-mac")
    Uni<ApiResponse<CardCheck>> checkByMac(@QueryParam("mac") String mac);

    @GET
    @Path("/internal/cards/by-code")
    Uni<ApiResponse<CardCheck>> byCode(@QueryParam("cardCode") String cardCode);

    /** For callers without a user token (pay codes issued for WeChat): the tenant is named, the service key vouches. */
    @GET
    @Path("/internal/service/cards/by-code")
    Uni<ApiResponse<CardCheck>> byCodeForService(@HeaderParam(ServiceKeyFilter.HEADER) String serviceKey,
            @QueryParam("tenantId") long tenantId, @QueryParam("cardCode") String cardCode);

    /** card-service's refusals (400, 401, 403) keep their code; its own failures (5xx) stay failures to retry. */
    @ClientExceptionMapper
    static RuntimeException refused(Response response) {
        if (response.getStatus() >= 500) {
            return null;
        }
        String message = "card service refused the request";
        try {
            ApiResponse<?> body = response.readEntity(ApiResponse.class);
            if (body != null && body.message() != null) {
                message = body.message();
            }
        } catch (RuntimeException unreadable) {
            // keep the generic message
        }
        StatusCode code = response.getStatus() == 404 ? StatusCode.INTERNAL : StatusCode.of(response.getStatus());
        return new ApiException(code, code == StatusCode.INTERNAL ? "card service path not found" : message);
    }
}
