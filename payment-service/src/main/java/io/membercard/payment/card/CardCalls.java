package io.membercard.payment.card;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.ApiResponse;
import io.membercard.common.api.StatusCode;
import io.smallrye.mutiny.Uni;

/**
 * The card-service calls with their timeout, retries (reads without a card secret only) and circuit breaker. A refusal from
 * card-service ({@link ApiException}) is an answer: never retried, never counted against the breaker.
 */
@ApplicationScoped
class CardCalls {
    private final CardApi api;

    CardCalls(@RestClient CardApi api) {
        this.api = api;
    }

    // A check with a card secret is never retried: card-service counts every evaluated secret against the card and
    // the caller, so a retry after a timeout would count one wrong secret up to three times.
    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ApiException.class)
    Uni<CardCheck> check(String cardCode, String mac) {
        return unwrap(api.check(cardCode, mac));
    }

    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ApiException.class)
    Uni<CardCheck> checkByMac(String mac) {
        return unwrap(api.checkByMac(mac));
    }

    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = ApiException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ApiException.class)
    Uni<CardCheck> byCode(String cardCode) {
        return unwrap(api.byCode(cardCode));
    }

    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = ApiException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ApiException.class)
    Uni<CardCheck> byCodeForService(String serviceKey, long tenantId, String cardCode) {
        return unwrap(api.byCodeForService(serviceKey, tenantId, cardCode));
    }

    private static Uni<CardCheck> unwrap(Uni<ApiResponse<CardCheck>> call) {
        return call.map(answer -> {
            if (answer.status() == StatusCode.OK.code() && answer.data() != null) {
                return answer.data();
            }
            throw new ApiException(StatusCode.of(answer.status()), answer.message());
        });
    }
}
