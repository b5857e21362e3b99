package io.membercard.payment.account;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.membercard.common.api.ApiException;
import io.membercard.common.security.Caller;
import io.membercard.common.security.Roles;
import io.membercard.common.web.QueryParams;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Account reads for other services (the caller's token forwarded). */
@Path("/internal")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {
    private final AccountRepository accounts;
    private final Pool pool;
    private final Caller caller;

    public AccountResource(AccountRepository accounts, Pool pool, Caller caller) {
        this.accounts = accounts;
        this.pool = pool;
        this.caller = caller;
    }

    /**
     * For member-service's member views: the figures of up to 500 cards at once (cards whose account never moved
     * are left out). The caller's token is forwarded, so only the caller's tenant is read.
     */
    @GET
    @Path("/accounts/by-cards")
    @Operation(hidden = true)
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<List<AccountFigures>> byCards(@QueryParam("cardIds") String cardIds) {
        Long[] ids = idList("cardIds", cardIds);
        return accounts.figuresOf(pool, caller.tenantId(), ids);
    }

    private static Long[] idList(String name, String raw) {
        String text = QueryParams.requiredText(name, raw, 10_000);
        String[] parts = text.split(",");
        if (parts.length > 500) {
            throw ApiException.badInput(name, "at most 500 ids");
        }
        Long[] ids = new Long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            ids[i] = QueryParams.requiredId(name, parts[i]);
        }
        return ids;
    }

    /** For card-service's card reads: the card's figures, zero while it has no account (caller's token forwarded). */
    @GET
    @Path("/accounts/by-card")
    @Operation(hidden = true)
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<AccountFigures> byCard(@QueryParam("cardId") String cardId) {
        long card = QueryParams.requiredId("cardId", cardId);
        return accounts.figuresOf(pool, caller.tenantId(), new Long[]{card})
                .map(found -> found.isEmpty() ? AccountFigures.none(card) : found.get(0));
    }
}
