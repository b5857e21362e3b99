package io.membercard.card.partner;

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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.membercard.common.internal.ServiceAnswer;
import io.membercard.common.internal.ServiceKeyHeaders;
import io.smallrye.mutiny.Uni;

/**
 * member-service's bulk enrolment, for a partner's cards with members: it issues the cards (through this service),
 * opens their balances and makes the members, idempotently by each row's source key.
 */
@ApplicationScoped
public class MemberEnrolments {
    private final Calls calls;
    private final ObjectMapper mapper;

    public MemberEnrolments(Calls calls, ObjectMapper mapper) {
        this.calls = calls;
        this.mapper = mapper;
    }

    /** {@code data} is one result per row: {@code {sourceKey, outcome, memberId, cardId, cardCode, reason}}. */
    public Uni<ServiceAnswer> enrol(JsonNode request) {
        return ServiceAnswer.sort(mapper, calls.enrol(request));
    }

    @RegisterRestClient(configKey = "member-service")
    @RegisterProvider(ServiceAnswer.Mapper.class)
    @RegisterClientHeaders(ServiceKeyHeaders.class)
    @Produces(MediaType.APPLICATION_JSON)
    interface Api {
        @POST
        @Path("/internal/service/enrolments")
        @Consumes(MediaType.APPLICATION_JSON)
        Uni<String> enrol(JsonNode request);
    }

    @ApplicationScoped
    static class Calls {
        private final Api api;

        Calls(@RestClient Api api) {
            this.api = api;
        }

        @Timeout(value = 60, unit = ChronoUnit.SECONDS)
        @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ServiceAnswer.Refusal.class)
        Uni<String> enrol(JsonNode request) {
            return api.enrol(request);
        }
    }
}
