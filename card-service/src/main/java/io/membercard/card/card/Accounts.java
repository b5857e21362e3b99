package io.membercard.card.card;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.internal.ForwardedAuthorization;
import io.smallrye.mutiny.Uni;

/**
 * The card's account figures, which payment-service keeps. Asked with a timeout, retries and a circuit breaker;
 * when payment-service cannot answer, the read fails clearly rather than show a balance it does not know.
 */
@ApplicationScoped
public class Accounts {
    private final Calls calls;

    public Accounts(Calls calls) {
        this.calls = calls;
    }

    /** The figures of card {@code cardId} (zeros while it has no account). */
    public Uni<Figures> figures(long cardId) {
        return calls.figures(cardId).onFailure(e -> !(e instanceof ApiException))
                .transform(e -> new ApiException(StatusCode.INTERNAL,
                        "the balance service is unavailable; try again"));
    }

    /** As payment-service reports them. */
    public record Figures(BigDecimal totalRecharge, BigDecimal actualRecharge, BigDecimal giveRecharge,
            BigDecimal totalExpense, BigDecimal actualExpense, BigDecimal giveExpense, BigDecimal balance,
            BigDecimal actualBalance, BigDecimal giveBalance, long totalPoints, long actualPoints, long usedPoints,
            Instant pointsDisabledDate, String timestamp) {
    }

    @RegisterRestClient(configKey = "payment-service")
    @RegisterClientHeaders(ForwardedAuthorization.class)
    interface Api {
        @GET
        @Path("/internal/accounts/by-card")
        Uni<Figures> byCard(@QueryParam("cardId") long cardId);
    }

    @ApplicationScoped
    static class Calls {
        private final Api api;

        Calls(@RestClient Api api) {
            this.api = api;
        }

        @Timeout(value = 3, unit = ChronoUnit.SECONDS)
        @Retry(maxRetries = 2, delay = 50)
        @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS)
        Uni<Figures> figures(long cardId) {
            return api.byCard(cardId);
        }
    }
}
