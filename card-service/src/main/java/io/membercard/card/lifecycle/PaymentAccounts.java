package io.membercard.card.lifecycle;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.membercard.common.internal.ServiceAnswer;
import io.membercard.common.internal.ServiceKeyHeaders;
import io.smallrye.mutiny.Uni;

/**
 * The account side of a replacement or a return, and the opening balances of cards made without members, in
 * payment-service (service key). Every call carries the
 * operation's id, so it may be repeated safely. The answer is sorted into what the operation must do next
 * ({@link ServiceAnswer}): the account changed, it certainly did not (refused, or never reached), or nobody knows
 * yet (a timeout or a server error, to be asked again).
 */
@ApplicationScoped
public class PaymentAccounts {
    private static final Logger LOG = Logger.getLogger(PaymentAccounts.class);

    private final Calls calls;
    private final ObjectMapper mapper;

    public PaymentAccounts(Calls calls, ObjectMapper mapper) {
        this.calls = calls;
        this.mapper = mapper;
    }

    public Uni<ServiceAnswer> replace(JsonNode command) {
        return sort(calls.replace(command));
    }

    public Uni<ServiceAnswer> returnCard(JsonNode command) {
        return sort(calls.returnCard(command));
    }

    /** Opening balances of cards made without members (partner cards of type 15): one per account, ever. */
    public Uni<ServiceAnswer> openings(JsonNode request) {
        return sort(calls.openings(request));
    }

    private Uni<ServiceAnswer> sort(Uni<String> call) {
        return ServiceAnswer.sort(mapper, call).invoke(answer -> {
            if (answer.kind() == ServiceAnswer.Kind.UNKNOWN) {
                LOG.warnf("payment-service did not answer an account change: %s", answer.message());
            }
        });
    }

    @RegisterRestClient(configKey = "payment-service")
    @RegisterProvider(ServiceAnswer.Mapper.class)
    @RegisterClientHeaders(ServiceKeyHeaders.class)
    @Produces(MediaType.APPLICATION_JSON)
    interface Api {
        @POST
        @Path("/internal/service/accounts/replace")
        @Consumes(MediaType.APPLICATION_JSON)
        Uni<String> replace(JsonNode command);

        @POST
        @Path("/internal/service/accounts/return")
        @Consumes(MediaType.APPLICATION_JSON)
        Uni<String> returnCard(JsonNode command);

        @POST
        @Path("/internal/service/accounts/openings")
        @Consumes(MediaType.APPLICATION_JSON)
        Uni<String> openings(JsonNode request);
    }

    /** The calls with their timeout and circuit breaker; never retried here (the operation's job asks again). */
    @ApplicationScoped
    static class Calls {
        private final Api api;

        Calls(@RestClient Api api) {
            this.api = api;
        }

        @Timeout(value = 5, unit = ChronoUnit.SECONDS)
        @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ServiceAnswer.Refusal.class)
        Uni<String> replace(JsonNode command) {
            return api.replace(command);
        }

        @Timeout(value = 5, unit = ChronoUnit.SECONDS)
        @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ServiceAnswer.Refusal.class)
        Uni<String> returnCard(JsonNode command) {
            return api.returnCard(command);
        }

        @Timeout(value = 30, unit = ChronoUnit.SECONDS)
        @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ServiceAnswer.Refusal.class)
        Uni<String> openings(JsonNode request) {
            return api.openings(request);
        }
    }
}
