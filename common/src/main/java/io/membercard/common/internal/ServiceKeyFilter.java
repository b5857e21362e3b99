package io.membercard.common.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.membercard.common.api.ApiResponse;
import io.membercard.common.api.StatusCode;
import io.membercard.common.config.CommonConfig;

/**
 * Guards {@code /internal/service/}: only callers that present the platform's service key get in. These endpoints
 * serve other services (event delivery, pay-code issuing) and are never routed by the gateway.
 */
public class ServiceKeyFilter {
    public static final String HEADER = "X-Service-Key";
    public static final String PREFIX = "/internal/service/";

    private final byte[] key;

    public ServiceKeyFilter(CommonConfig config) {
        this.key = config.serviceKey().getBytes(StandardCharsets.UTF_8);
    }

    @ServerRequestFilter(preMatching = true)
    public RestResponse<ApiResponse<Void>> check(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith(PREFIX)) {
            return null;
        }
        String presented = request.getHeaderString(HEADER);
        if (presented != null && MessageDigest.isEqual(key, presented.getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return RestResponse.ResponseBuilder.<ApiResponse<Void>>create(401)
                .entity(ApiResponse.failure(StatusCode.UNAUTHORIZED, "a valid service key is required"))
                .type("application/json").build();
    }
}
