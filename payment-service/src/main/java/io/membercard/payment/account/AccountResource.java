package io.membercard.payment.account;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.membercard.common.security.Caller;
import io.membercard.common.security.Roles;
import io.membercard.common.web.QueryParams;
import io.membercard.payment.points.PointsBook;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Account reads for other services (the caller's token forwarded). */
@Path("/internal/accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {
    private final AccountRepository accounts;
    private final PointsBook points;
    private final Pool pool;
    private final Caller caller;

    public AccountResource(AccountRepository accounts, PointsBook points, Pool pool,
            Caller caller) {
        this.accounts = accounts;
        this.points = points;
        this.pool = pool;
        this.caller = caller;
    }

    /** For card-service's card reads: the card's figures, zero while it has no account (caller's token forwarded). */
    @GET
    @Path("/by-card")
    @Operation(hidden = true)
    @RolesAllowed({Roles.CASHIER, Roles.MANAGER, Roles.ADMIN})
    public Uni<AccountFigures> byCard(@QueryParam("cardId") String cardId) {
        long card = QueryParams.requiredId("cardId", cardId);
        return accounts.findByCard(pool, caller.tenantId(), card).flatMap(account -> account == null
                ? Uni.createFrom().item(AccountFigures.none(card))
                : points.nextExpiry(pool, account.id()).map(expiry -> AccountFigures.of(account, expiry)));
    }
}
