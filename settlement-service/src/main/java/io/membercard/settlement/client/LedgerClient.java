package io.membercard.settlement.client;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.faulttolerance.Retry;
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
 * payment-service's ledger, which it owns: a shop-day as one snapshot saw it, and when a shop's first entry was
 * written. Both are reads, retried; the caller names the tenant (a close runs without a user's token).
 */
@ApplicationScoped
public class LedgerClient {
    private final Calls calls;
    private final ObjectMapper mapper;

    public LedgerClient(Calls calls, ObjectMapper mapper) {
        this.calls = calls;
        this.mapper = mapper;
    }

    /** payment-service's ShopDay of {@code [from, to)} (the answer's {@code data}); {@code shopId} null: all shops. */
    public Uni<JsonNode> shopDay(long tenantId, Long shopId, Instant from, Instant to) {
        return calls.shopDay(tenantId, shopId, from.toString(), to.toString()).map(this::data);
    }

    /** When the shop's first ledger entry was written, or null (none: an unknown shop, or another tenant's). */
    public Uni<Instant> firstEntry(long tenantId, Long shopId) {
        return calls.first(tenantId, shopId).map(this::data).map(data -> {
            JsonNode at = data.path("firstEntryAt");
            try {
                return at.isTextual() ? mapper.treeToValue(at, Instant.class) : null;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("unreadable firstEntryAt from payment-service: " + at, e);
            }
        });
    }

    private JsonNode data(String json) {
        try {
            JsonNode answer = mapper.readTree(json);
            if (answer.path("status").asInt() != 200) {
                throw new IllegalStateException("payment-service answered " + answer.path("status").asInt() + ": "
                        + answer.path("message").asText());
            }
            return answer.path("data");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("unreadable answer from payment-service", e);
        }
    }

    @RegisterRestClient(configKey = "payment-service")
    @RegisterProvider(ServiceAnswer.Mapper.class)
    @RegisterClientHeaders(ServiceKeyHeaders.class)
    @Produces(MediaType.APPLICATION_JSON)
    interface Api {
        @GET
        @Path("/internal/service/shopdays")
        Uni<String> shopDay(@QueryParam("tenantId") long tenantId, @QueryParam("shopId") Long shopId,
                @QueryParam("from") String from, @QueryParam("to") String to);

        @GET
        @Path("/internal/service/shopdays/first")
        Uni<String> first(@QueryParam("tenantId") long tenantId, @QueryParam("shopId") Long shopId);
    }

    /** Reads, so retried once; a shop-day of a million entries takes seconds, hence the long timeout. */
    @ApplicationScoped
    static class Calls {
        private final Api api;

        Calls(@RestClient Api api) {
            this.api = api;
        }

        @Timeout(value = 120, unit = ChronoUnit.SECONDS)
        @Retry(maxRetries = 1, delay = 500, abortOn = ServiceAnswer.Refusal.class)
        Uni<String> shopDay(long tenantId, Long shopId, String from, String to) {
            return api.shopDay(tenantId, shopId, from, to);
        }

        @Timeout(value = 5, unit = ChronoUnit.SECONDS)
        @Retry(maxRetries = 1, delay = 200, abortOn = ServiceAnswer.Refusal.class)
        Uni<String> first(long tenantId, Long shopId) {
            return api.first(tenantId, shopId);
        }
    }
}
