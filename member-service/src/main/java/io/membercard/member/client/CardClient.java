package io.membercard.member.client;

import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
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
 * card-service, for members' cards: issuing them (bind or create, in batches), giving one back, finding a member's
 * card, and the card a till read by its MAC. Answers are sorted by {@link ServiceAnswer}: a saga must know whether
 * card-service changed anything.
 */
@ApplicationScoped
public class CardClient {
    private final Calls calls;
    private final ObjectMapper mapper;

    public CardClient(Calls calls, ObjectMapper mapper) {
        this.calls = calls;
        this.mapper = mapper;
    }

    /** Cards for members (card-service's {@code /internal/service/cards/issue}). */
    public record Issue(long tenantId, long shopId, String shopName, Long cardClassId, String userId,
            String userName, List<Item> items) {
    }

    /**
     * One member's card; see card-service's IssueRequest. The card secret is {@code mac} as a till read it (passed
     * on, never kept), or {@code macHashes}: card-service's own hashes of it ({@link #macHashes}), for secrets that
     * had to wait in member-service (an import's).
     */
    public record Item(String key, long memberId, String cardCode, String mac, int sendMode, Long cardClassId,
            Boolean create, Long expiresAt, List<String> macHashes) {
    }

    /** Card secrets to hash, in the caller's tenant. */
    public record MacHashRequest(List<String> macs) {
    }

    /** At most this many card secrets are hashed in one call. */
    public static final int MAC_HASH_BATCH = 1000;

    /** {@code data} is one answer per item: {@code {key, card}} or {@code {key, status, message}}. */
    public Uni<ServiceAnswer> issue(Issue request) {
        return ServiceAnswer.sort(mapper, calls.issue(request));
    }

    /** {@code data} is the member's card; REFUSED with 404 when it has none. */
    public Uni<ServiceAnswer> byMember(long tenantId, long memberId) {
        return ServiceAnswer.sort(mapper, calls.byMember(tenantId, memberId));
    }

    /** The card whose MAC a till read, in the caller's tenant (the caller's token is forwarded). */
    public Uni<ServiceAnswer> checkByMac(String mac) {
        return ServiceAnswer.sort(mapper, calls.checkByMac(mac));
    }

    /**
     * card-service's hashes of card secrets (at most {@value #MAC_HASH_BATCH}), in the tenant of the user whose
     * {@code authorization} is given: {@code data} is one list per secret, in order, of 64 hex characters each (the
     * hash a card of that tenant written with it keeps first, then those under the salts of cards migrated in).
     */
    public Uni<ServiceAnswer> macHashes(String authorization, List<String> macs) {
        return ServiceAnswer.sort(mapper, calls.macHashes(authorization, new MacHashRequest(macs)));
    }

    /** A shop's cards to another tenant (card-service's CardMigration); {@code data} lists the copies. */
    public Uni<ServiceAnswer> migrateCards(JsonNode request) {
        return ServiceAnswer.sort(mapper, calls.migrateCards(request));
    }

    /** The migration's old cards end void. */
    public Uni<ServiceAnswer> finishMigration(String migrationId) {
        return ServiceAnswer.sort(mapper, calls.migration("finish", migrationId));
    }

    /** The migration's copies go, its old cards are free again. */
    public Uni<ServiceAnswer> abortMigration(String migrationId) {
        return ServiceAnswer.sort(mapper, calls.migration("abort", migrationId));
    }

    record MigrationId(String migrationId) {
    }

    @RegisterRestClient(configKey = "card-service")
    @RegisterProvider(ServiceAnswer.Mapper.class)
    @RegisterClientHeaders(ServiceKeyHeaders.class)
    @Produces(MediaType.APPLICATION_JSON)
    interface ServiceApi {
        @POST
        @Path("/internal/service/cards/issue")
        @Consumes(MediaType.APPLICATION_JSON)
        Uni<String> issue(Issue request);

        @GET
        @Path("/internal/service/cards/by-member")
        Uni<String> byMember(@QueryParam("tenantId") long tenantId, @QueryParam("memberId") long memberId);

        @POST
        @Path("/internal/service/migrations/cards")
        @Consumes(MediaType.APPLICATION_JSON)
        Uni<String> migrateCards(JsonNode request);

        @POST
        @Path("/internal/service/migrations/cards/{step}")
        @Consumes(MediaType.APPLICATION_JSON)
        Uni<String> migration(@jakarta.ws.rs.PathParam("step") String step, MigrationId request);
    }

    @RegisterRestClient(configKey = "card-service")
    @RegisterProvider(ServiceAnswer.Mapper.class)
    @RegisterClientHeaders(ForwardedAuthorization.class)
    @Produces(MediaType.APPLICATION_JSON)
    interface UserApi {
        @GET
        @Path("/internal/cards/check-by-mac")
        Uni<String> checkByMac(@QueryParam("mac") String mac);

        @POST
        @Path("/internal/cards/mac-hashes")
        @Consumes(MediaType.APPLICATION_JSON)
        Uni<String> macHashes(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, MacHashRequest request);
    }

    /** Timeouts and circuit breakers; only the reads are retried (issue carries its keys, but is not retried here). */
    @ApplicationScoped
    static class Calls {
        private final ServiceApi service;
        private final UserApi user;

        Calls(@RestClient ServiceApi service, @RestClient UserApi user) {
            this.service = service;
            this.user = user;
        }

        @Timeout(value = 20, unit = ChronoUnit.SECONDS)
        @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ServiceAnswer.Refusal.class)
        Uni<String> issue(Issue request) {
            return service.issue(request);
        }

        @Timeout(value = 5, unit = ChronoUnit.SECONDS)
        @Retry(maxRetries = 2, delay = 100, abortOn = ServiceAnswer.Refusal.class)
        @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ServiceAnswer.Refusal.class)
        Uni<String> byMember(long tenantId, long memberId) {
            return service.byMember(tenantId, memberId);
        }

        @Timeout(value = 60, unit = ChronoUnit.SECONDS)
        Uni<String> migrateCards(JsonNode request) {
            return service.migrateCards(request);
        }

        @Timeout(value = 60, unit = ChronoUnit.SECONDS)
        @Retry(maxRetries = 2, delay = 200, abortOn = ServiceAnswer.Refusal.class)
        Uni<String> migration(String step, String migrationId) {
            return service.migration(step, new MigrationId(migrationId));
        }

        @Timeout(value = 3, unit = ChronoUnit.SECONDS)
        // Never retried: card-service counts every card secret it evaluates against the card and the caller.
        @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ServiceAnswer.Refusal.class)
        Uni<String> checkByMac(String mac) {
            return user.checkByMac(mac);
        }

        /** Hashing changes nothing: it is retried like a read. */
        @Timeout(value = 10, unit = ChronoUnit.SECONDS)
        @Retry(maxRetries = 2, delay = 100, abortOn = ServiceAnswer.Refusal.class)
        @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ServiceAnswer.Refusal.class)
        Uni<String> macHashes(String authorization, MacHashRequest request) {
            return user.macHashes(authorization, request);
        }
    }

    /** The card of an issue answer item, or null when the item was refused. */
    public static JsonNode cardOf(JsonNode item) {
        JsonNode card = item.path("card");
        return card.isMissingNode() || card.isNull() ? null : card;
    }
}
