package io.membercard.member.client;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.membercard.common.internal.ForwardedAuthorization;
import io.membercard.common.internal.ServiceAnswer;
import io.membercard.common.internal.ServiceKeyHeaders;
import io.smallrye.mutiny.Uni;

/**
 * payment-service, for what member-service shows and moves of accounts: live figures of a few cards, every account
 * of a tenant (reconciliation), opening balances of imported cards, and a shop's accounts in a migration.
 */
@ApplicationScoped
public class AccountClient {
    private final Calls calls;
    private final ObjectMapper mapper;

    public AccountClient(Calls calls, ObjectMapper mapper) {
        this.calls = calls;
        this.mapper = mapper;
    }

    /** The figures of the cards' accounts (an array; cards without one left out), with the caller's token. */
    public Uni<JsonNode> byCards(List<Long> cardIds) {
        if (cardIds.isEmpty()) {
            return Uni.createFrom().item(mapper.createArrayNode());
        }
        return calls.byCards(cardIds.stream().map(String::valueOf).collect(Collectors.joining(",")))
                .map(this::tree);
    }

    /** A page of a tenant's accounts by card id (service key). */
    public Uni<JsonNode> page(long tenantId, long afterCardId, int limit) {
        return calls.page(tenantId, afterCardId, limit).map(this::tree);
    }

    /** Opening balances (payment-service's Openings); {@code data} is one answer per card. */
    public Uni<ServiceAnswer> openings(JsonNode request) {
        return ServiceAnswer.sort(mapper, calls.openings(request));
    }

    /** A shop's accounts to another tenant (payment-service's AccountMigration). */
    public Uni<ServiceAnswer> migrate(JsonNode request) {
        return ServiceAnswer.sort(mapper, calls.migrate(request));
    }

    private JsonNode tree(String json) {
        try {
            return mapper.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable answer from payment-service", e);
        }
    }

    @RegisterRestClient(configKey = "payment-service")
    @RegisterProvider(ServiceAnswer.Mapper.class)
    @RegisterClientHeaders(ServiceKeyHeaders.class)
    @Produces(MediaType.APPLICATION_JSON)
    interface ServiceApi {
        @GET
        @Path("/internal/service/accounts/page")
        Uni<String> page(@QueryParam("tenantId") long tenantId, @QueryParam("afterCardId") long afterCardId,
                @QueryParam("limit") int limit);

        @POST
        @Path("/internal/service/accounts/openings")
        @Consumes(MediaType.APPLICATION_JSON)
        Uni<String> openings(JsonNode request);

        @POST
        @Path("/internal/service/accounts/migrate")
        @Consumes(MediaType.APPLICATION_JSON)
        Uni<String> migrate(JsonNode request);
    }

    @RegisterRestClient(configKey = "payment-service")
    @RegisterProvider(ServiceAnswer.Mapper.class)
    @RegisterClientHeaders(ForwardedAuthorization.class)
    @Produces(MediaType.APPLICATION_JSON)
    interface UserApi {
        @GET
        @Path("/internal/accounts/by-cards")
        Uni<String> byCards(@QueryParam("cardIds") String cardIds);
    }

    /** Reads are retried; commands are not retried here (their callers repeat them with the same keys). */
    @ApplicationScoped
    static class Calls {
        private final ServiceApi service;
        private final UserApi user;

        Calls(@RestClient ServiceApi service, @RestClient UserApi user) {
            this.service = service;
            this.user = user;
        }

        @Timeout(value = 3, unit = ChronoUnit.SECONDS)
        @Retry(maxRetries = 1, delay = 50, abortOn = ServiceAnswer.Refusal.class)
        @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ServiceAnswer.Refusal.class)
        Uni<String> byCards(String cardIds) {
            return user.byCards(cardIds);
        }

        @Timeout(value = 30, unit = ChronoUnit.SECONDS)
        @Retry(maxRetries = 2, delay = 200, abortOn = ServiceAnswer.Refusal.class)
        Uni<String> page(long tenantId, long afterCardId, int limit) {
            return service.page(tenantId, afterCardId, limit);
        }

        @Timeout(value = 30, unit = ChronoUnit.SECONDS)
        @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ServiceAnswer.Refusal.class)
        Uni<String> openings(JsonNode request) {
            return service.openings(request);
        }

        @Timeout(value = 60, unit = ChronoUnit.SECONDS)
        Uni<String> migrate(JsonNode request) {
            return service.migrate(request);
        }
    }
}
