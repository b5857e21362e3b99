package io.membercard.member.member;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.membercard.common.api.ApiResponse;

/** {@link TooManyLookups} as the contract's envelope with status 429 (HTTP 429, with Retry-After). */
public class TooManyLookupsMapper {
    static final int TOO_MANY_REQUESTS = 429;

    @ServerExceptionMapper
    public RestResponse<ApiResponse<Void>> tooMany(TooManyLookups e) {
        return RestResponse.ResponseBuilder.<ApiResponse<Void>>create(TOO_MANY_REQUESTS)
                .entity(new ApiResponse<>(TOO_MANY_REQUESTS, e.getMessage(), null))
                .header("Retry-After", Long.toString(e.retryAfterSeconds()))
                .type("application/json").build();
    }
}
