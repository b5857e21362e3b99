package io.membercard.payment.gift;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.internal.ForwardedAuthorization;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;

/** Gifts, which member-service keeps: asked with the caller's token, a timeout, retries and a circuit breaker. */
@ApplicationScoped
public class Gifts {
    private final Calls calls;

    public Gifts(Calls calls) {
        this.calls = calls;
    }

    /** A gift as member-service shows it. */
    public record Gift(long id, String name, long points, boolean inUse) {
    }

    /** The gift {@code id} of the caller's tenant, if it can be taken now; 608 otherwise. */
    public Uni<Gift> available(long id) {
        return calls.get(id)
                .onFailure(e -> !(e instanceof ApiException)).transform(e -> new ApiException(StatusCode.INTERNAL,
                        "the member service is unavailable: nothing was changed, try again"))
                .map(gift -> {
                    if (gift == null || !gift.inUse()) {
                        throw new ApiException(StatusCode.GIFT_UNAVAILABLE, "gift " + id + " is not available");
                    }
                    return gift;
                });
    }

    @RegisterRestClient(configKey = "member-service")
    @RegisterClientHeaders(ForwardedAuthorization.class)
    interface Api {
        @GET
        @Path("/internal/gifts/{id}")
        Uni<Gift> get(@PathParam("id") long id);

        /** 404: no such gift in the tenant (608); other refusals keep their code. */
        @ClientExceptionMapper
        static RuntimeException refused(Response response) {
            if (response.getStatus() >= 500) {
                return null;
            }
            if (response.getStatus() == 404) {
                return new ApiException(StatusCode.GIFT_UNAVAILABLE, "no such gift");
            }
            return new ApiException(StatusCode.of(response.getStatus()), "the member service refused the request");
        }
    }

    @ApplicationScoped
    static class Calls {
        private final Api api;

        Calls(@RestClient Api api) {
            this.api = api;
        }

        @Timeout(value = 3, unit = ChronoUnit.SECONDS)
        @Retry(maxRetries = 2, delay = 50, abortOn = ApiException.class)
        @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ApiException.class)
        Uni<Gift> get(long id) {
            return api.get(id);
        }
    }
}
