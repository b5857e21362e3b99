package io.membercard.card.lifecycle;

import java.net.ConnectException;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.membercard.common.api.StatusCode;
import io.membercard.common.internal.ServiceKeyHeaders;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;

/**
 * The account side of a replacement or a return, in payment-service (service key). Every call carries the
 * operation's id, so it may be repeated safely. The answer is sorted into what the operation must do next: the
 * account changed ({@link Done}), it certainly did not ({@link Refused}, {@link NotApplied}), or nobody knows yet
 * ({@link Unknown}: a timeout or a server error, to be asked again).
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

    /** What became of a call. */
    public sealed interface Outcome permits Done, Refused, NotApplied, Unknown {
    }

    /** The account changed; {@code data} is payment-service's answer. */
    public record Done(JsonNode data) implements Outcome {
    }

    /** payment-service refused: the account did not change. */
    public record Refused(StatusCode status, String message) implements Outcome {
    }

    /** The call never reached payment-service (refused connection, open circuit): the account did not change. */
    public record NotApplied(String reason) implements Outcome {
    }

    /** No answer (timeout, server error): the account may or may not have changed. */
    public record Unknown(String reason) implements Outcome {
    }

    public Uni<Outcome> replace(JsonNode command) {
        return sort(calls.replace(command));
    }

    public Uni<Outcome> returnCard(JsonNode command) {
        return sort(calls.returnCard(command));
    }

    private Uni<Outcome> sort(Uni<Response> call) {
        return call.map(response -> read(response.getStatus(), response.readEntity(String.class)))
                .onFailure().recoverWithItem(e -> {
                    if (e instanceof Answered answered) {
                        return read(answered.status, answered.body);
                    }
                    if (e instanceof CircuitBreakerOpenException || causedBy(e, ConnectException.class)) {
                        return new NotApplied(e.toString());
                    }
                    LOG.warnf("payment-service did not answer an account change: %s", e.toString());
                    return new Unknown(e.toString());
                });
    }

    private Outcome read(int http, String text) {
        if (http >= 500) {
            return new Unknown("payment-service answered HTTP " + http);
        }
        JsonNode body;
        try {
            body = mapper.readTree(text == null ? "" : text);
        } catch (Exception e) {
            return http == 200 ? new Unknown("unreadable answer") : new Refused(StatusCode.of(http), "refused");
        }
        int status = body.path("status").asInt(http);
        if (http == 200 && status == 200) {
            return new Done(body.path("data"));
        }
        return new Refused(StatusCode.of(status), body.path("message").asText("refused"));
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** payment-service's answer with an HTTP status other than 2xx. */
    static class Answered extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final transient String body;

        Answered(int status, String body) {
            super("HTTP " + status, null, false, false);
            this.status = status;
            this.body = body;
        }
    }

    /** A refusal (4xx): an answer, not a failure of payment-service, so it never opens the circuit. */
    static final class Refusal extends Answered {
        private static final long serialVersionUID = 1L;

        Refusal(int status, String body) {
            super(status, body);
        }
    }

    @RegisterRestClient(configKey = "payment-service")
    @RegisterClientHeaders(ServiceKeyHeaders.class)
    interface Api {
        @POST
        @Path("/internal/service/accounts/replace")
        @Consumes(MediaType.APPLICATION_JSON)
        Uni<Response> replace(JsonNode command);

        @POST
        @Path("/internal/service/accounts/return")
        @Consumes(MediaType.APPLICATION_JSON)
        Uni<Response> returnCard(JsonNode command);

        /** An answer other than 2xx comes back as {@link Answered}, to be read like any other. */
        @ClientExceptionMapper
        static RuntimeException answered(Response response) {
            String body;
            try {
                body = response.readEntity(String.class);
            } catch (RuntimeException unreadable) {
                body = null;
            }
            return response.getStatus() < 500
                    ? new Refusal(response.getStatus(), body)
                    : new Answered(response.getStatus(), body);
        }
    }

    /** The calls with their timeout and circuit breaker; never retried here (the operation's job asks again). */
    @ApplicationScoped
    static class Calls {
        private final Api api;

        Calls(@RestClient Api api) {
            this.api = api;
        }

        @Timeout(value = 5, unit = ChronoUnit.SECONDS)
        @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = Refusal.class)
        Uni<Response> replace(JsonNode command) {
            return api.replace(command);
        }

        @Timeout(value = 5, unit = ChronoUnit.SECONDS)
        @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = Refusal.class)
        Uni<Response> returnCard(JsonNode command) {
            return api.returnCard(command);
        }
    }
}
