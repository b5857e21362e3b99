package io.membercard.common.limits;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.membercard.common.api.ApiResponse;

/** {@link LimitExceeded} as the envelope with HTTP 429 and {@code Retry-After}. */
public class LimitExceededMapper {

    @ServerExceptionMapper
    public RestResponse<ApiResponse<Void>> exceeded(LimitExceeded e) {
        return RestResponse.ResponseBuilder.<ApiResponse<Void>>create(e.status().httpStatus())
                .entity(ApiResponse.failure(e.status(), e.getMessage()))
                .header("Retry-After", Long.toString(e.retryAfterSeconds()))
                .type("application/json").build();
    }
}
