package io.membercard.common.limits;

import java.net.URI;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.membercard.common.config.CommonConfig;
import io.membercard.common.internal.ServiceKeyFilter;
import io.quarkus.arc.DefaultBean;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;

/**
 * A tenant's own limits, asked from member-service ({@code GET /internal/service/limits?tenantId=}, with the service
 * key: the quotas of a partner's request, which carries no token, need them too). Short timeouts: a limit is looked
 * up on a request's path, and {@link TenantLimits} answers the last known values or the platform defaults when
 * member-service is slow or down. member-service replaces this bean with its own table.
 */
@DefaultBean
@ApplicationScoped
public class RemoteTenantLimitSource implements TenantLimitSource {
    private final Api api;
    private final String serviceKey;
    private final ObjectMapper mapper;

    public RemoteTenantLimitSource(@ConfigProperty(name = "membercard.services.member-service") String memberService,
            CommonConfig config, ObjectMapper mapper) {
        this.api = QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(memberService))
                .connectTimeout(1, TimeUnit.SECONDS).readTimeout(2, TimeUnit.SECONDS).build(Api.class);
        this.serviceKey = config.serviceKey();
        this.mapper = mapper;
    }

    /** member-service's internal endpoint. */
    @Path("/internal/service/limits")
    public interface Api {
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        Uni<String> tenantValues(@HeaderParam(ServiceKeyFilter.HEADER) String serviceKey,
                @QueryParam("tenantId") long tenantId);
    }

    @Override
    public Uni<Map<Limit, LimitSetting>> tenantValues(long tenantId) {
        return api.tenantValues(serviceKey, tenantId).map(this::read);
    }

    /**
     * Reads {@code {"status": 200, "data": [{"name", "value", "setByPlatform"}]}}; a limit this service does not know
     * (a newer member-service) is skipped, anything else unreadable fails (the defaults apply).
     */
    Map<Limit, LimitSetting> read(String body) {
        JsonNode answer;
        try {
            answer = mapper.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException("member-service answered limits that are not JSON");
        }
        if (answer == null || answer.path("status").asInt() != 200 || !answer.path("data").isArray()) {
            throw new IllegalStateException("member-service answered no limits");
        }
        Map<Limit, LimitSetting> values = new EnumMap<>(Limit.class);
        for (JsonNode item : answer.path("data")) {
            Limit limit = Limit.byWireName(item.path("name").asText());
            if (limit != null && item.path("value").canConvertToLong() && item.path("value").asLong() > 0) {
                values.put(limit, new LimitSetting(limit.wireName(), item.path("value").asLong(),
                        item.path("setByPlatform").asBoolean(false)));
            }
        }
        return values;
    }
}
