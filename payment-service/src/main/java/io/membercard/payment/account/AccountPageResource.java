package io.membercard.payment.account;

import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.membercard.common.api.ApiException;
import io.membercard.common.web.QueryParams;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Every account of a tenant, for services that keep a copy of the figures (service key required). */
@Path("/internal/service/accounts/page")
@Produces(MediaType.APPLICATION_JSON)
public class AccountPageResource {
    private final AccountRepository accounts;
    private final Pool pool;

    public AccountPageResource(AccountRepository accounts, Pool pool) {
        this.accounts = accounts;
        this.pool = pool;
    }

    /** Every account of a tenant, page by page by card id: member-service's reconciliation (service key). */
    @GET

    @Operation(hidden = true)
    @PermitAll
    public Uni<List<AccountFigures>> page(@QueryParam("tenantId") String tenantId,
            @QueryParam("afterCardId") String afterCardId, @QueryParam("limit") String limit) {
        Integer size = QueryParams.optionalInt("limit", limit);
        if (size != null && (size < 1 || size > 5000)) {
            throw ApiException.badInput("limit", "must be from 1 to 5000");
        }
        Long after = QueryParams.optionalLong("afterCardId", afterCardId);
        return accounts.figuresPage(pool, QueryParams.requiredId("tenantId", tenantId), after == null ? 0 : after,
                size == null ? 1000 : size);
    }

}
