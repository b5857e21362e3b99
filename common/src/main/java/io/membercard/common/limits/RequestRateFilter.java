package io.membercard.common.limits;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.ApiResponse;
import io.membercard.common.api.StatusCode;
import io.membercard.common.config.CommonConfig;
import io.membercard.common.logging.LogText;
import io.membercard.common.security.Caller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * A tenant's requests a second to this service ({@link Limit#REQUESTS_PER_SECOND}), all its users and this service's
 * instances together: a fixed window per tenant and clock second in Redis (one script counts and starts the
 * window). A request over the limit is answered HTTP 429 with the envelope and {@code Retry-After: 1}, before its
 * endpoint runs: nothing is read or changed.
 * <p>
 * The tenant is the verified token's ({@link Caller}), so only authenticated requests are counted; a request whose
 * token does not verify is its endpoint's to refuse, a partner's signed request and WeChat's pushes carry none, and
 * {@code /q/} and {@code /internal/} (services calling each other on a user's behalf) are not counted. When Redis
 * cannot answer, requests go through (the gateway's limits per user still hold), Redis is left alone for a few
 * seconds, and the log says so once a minute.
 */
public class RequestRateFilter {
    private static final Logger LOG = Logger.getLogger(RequestRateFilter.class);
    private static final long REDIS_REST_NANOS = Duration.ofSeconds(5).toNanos();
    private static final long LOG_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    /** KEYS: the tenant's count of this second. Answers the count with this request. */
    private static final String COUNT = """
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], 2000) end
            return n
            """;

    private final CurrentIdentityAssociation identities;
    private final TenantLimits limits;
    private final ReactiveRedisDataSource redis;
    private final String service;
    private final String prefix;
    private final Counter refused;
    private final Counter unavailable;
    private final AtomicLong redisBackAt = new AtomicLong(System.nanoTime());
    private final AtomicLong lastFailureLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private final Map<Long, Long> lastRefusalLogged = new ConcurrentHashMap<>();

    public RequestRateFilter(CurrentIdentityAssociation identities, TenantLimits limits,
            ReactiveRedisDataSource redis, CommonConfig config,
            @ConfigProperty(name = "quarkus.application.name") String service, MeterRegistry registry) {
        this.identities = identities;
        this.limits = limits;
        this.redis = redis;
        this.service = service;
        this.prefix = config.redisKeyPrefix() + ":rate:" + service + ":";
        this.refused = registry.counter("membercard.limits.requests.refused");
        this.unavailable = registry.counter("membercard.limits.requests.uncounted");
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
            return limits.get(tenant, Limit.REQUESTS_PER_SECOND).flatMap(most -> count(tenant, most));
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

    private Uni<RestResponse<ApiResponse<Void>>> count(long tenant, long most) {
        long now = System.nanoTime();
        if (now - redisBackAt.get() < 0) {
            unavailable.increment();
            return Uni.createFrom().nullItem();
        }
        long second = System.currentTimeMillis() / 1000;
        return redis.execute("EVAL", COUNT, "1", prefix + "{" + tenant + "}:" + second)
                .map(reply -> reply == null || reply.toLong() <= most ? null : refusal(tenant, most))
                .onFailure().recoverWithItem(e -> {
                    uncounted(e);
                    return null;
                });
    }

    private RestResponse<ApiResponse<Void>> refusal(long tenant, long most) {
        refused.increment();
        long now = System.nanoTime();
        Long last = lastRefusalLogged.get(tenant);
        if (last == null || now - last >= LOG_EVERY_NANOS) {
            lastRefusalLogged.put(tenant, now);
            if (lastRefusalLogged.size() > 10_000) {
                lastRefusalLogged.clear();
            }
            LOG.warnf("tenant %d: more than %d requests a second to %s; the others are refused (429) until the "
                    + "second ends", tenant, most, service);
        }
        return RestResponse.ResponseBuilder.<ApiResponse<Void>>create(StatusCode.TOO_MANY_REQUESTS.httpStatus())
                .entity(ApiResponse.failure(StatusCode.TOO_MANY_REQUESTS, "too many requests: this tenant may send "
                        + most + " requests a second to the " + service + " (limit "
                        + Limit.REQUESTS_PER_SECOND.wireName() + "); nothing was done, try again in a second"))
                .header("Retry-After", "1").type("application/json").build();
    }

    private void uncounted(Throwable e) {
        unavailable.increment();
        long now = System.nanoTime();
        redisBackAt.set(now + REDIS_REST_NANOS);
        long last = lastFailureLogged.get();
        if (now - last >= LOG_EVERY_NANOS && lastFailureLogged.compareAndSet(last, now)) {
            LOG.warnf("requests a second per tenant cannot be counted (Redis): %s; requests go through uncounted "
                    + "(the gateway's limits still hold)", LogText.error(e));
        }
    }
}
