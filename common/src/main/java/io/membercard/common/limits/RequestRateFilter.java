package io.membercard.common.limits;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.ApiResponse;
import io.membercard.common.api.StatusCode;
import io.membercard.common.security.Caller;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * A tenant's requests a second to this service ({@link Limit#REQUESTS_PER_SECOND}), all its users and this service's
 * instances together, counted by {@link TenantSeconds}. A request over the limit is answered HTTP 429 with the
 * envelope and {@code Retry-After: 1}, before its endpoint runs: nothing is read or changed.
 * <p>
 * The tenant is the verified token's ({@link Caller}), so only authenticated requests are counted; a request whose
 * token does not verify is its endpoint's to refuse, a partner's signed request and WeChat's pushes carry none, and
 * {@code /q/} and {@code /internal/} (services calling each other on a user's behalf) are not counted. When Redis
 * cannot answer, requests go through (the gateway's limits per user still hold), Redis is left alone for a few
 * seconds, and the log says so once a minute.
 */
public class RequestRateFilter {
    private final CurrentIdentityAssociation identities;
    private final TenantSeconds seconds;

    public RequestRateFilter(CurrentIdentityAssociation identities, TenantSeconds seconds) {
        this.identities = identities;
        this.seconds = seconds;
    }

    @ServerRequestFilter
    public Uni<RestResponse<ApiResponse<Void>>> limit(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (request.getHeaderString(HttpHeaders.AUTHORIZATION) == null || path.startsWith("/q/")
                || path.startsWith("/internal/")) {
            return Uni.createFrom().nullItem();
        }
        return identities.getDeferredIdentity().onFailure().recoverWithNull().flatMap(identity -> {
            Long tenant = tenantOf(identity);
            if (tenant == null) {
                return Uni.createFrom().nullItem();
            }
            return seconds.add(tenant, Limit.REQUESTS_PER_SECOND, 1)
                    .map(most -> most == null ? null : refusal(most));
        });
    }

    private static Long tenantOf(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return null;
        }
        try {
            return new Caller(identity).tenantId();
        } catch (ApiException noTenant) {
            // Refused by the endpoint itself, as a token without a tenant always is.
            return null;
        }
    }

    private RestResponse<ApiResponse<Void>> refusal(long most) {
        return RestResponse.ResponseBuilder.<ApiResponse<Void>>create(StatusCode.TOO_MANY_REQUESTS.httpStatus())
                .entity(ApiResponse.failure(StatusCode.TOO_MANY_REQUESTS, "too many requests: this tenant may send "
                        + most + " requests a second to the " + seconds.service() + " (limit "
                        + Limit.REQUESTS_PER_SECOND.wireName() + "); nothing was done, try again in a second"))
                .header("Retry-After", "1").type("application/json").build();
    }
}
