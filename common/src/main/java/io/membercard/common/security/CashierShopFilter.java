package io.membercard.common.security;

import jakarta.json.JsonNumber;
import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.membercard.common.api.ApiResponse;
import io.membercard.common.api.StatusCode;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * A cashier acts only with a shop: a token whose only roles are a cashier's and that names no {@code shop_id} is
 * refused on every endpoint, before any of them reads or records anything (a payment or refund recorded against no
 * shop would fall out of every shop's day close). Managers and admins act for the whole tenant without one.
 */
public class CashierShopFilter {
    private final CurrentIdentityAssociation identities;

    public CashierShopFilter(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    @ServerRequestFilter
    public Uni<RestResponse<ApiResponse<Void>>> check(jakarta.ws.rs.container.ContainerRequestContext request) {
        if (request.getHeaderString("Authorization") == null) {
            return Uni.createFrom().nullItem();
        }
        // A token that does not verify is the endpoint's own security's to refuse (401), not this filter's.
        return identities.getDeferredIdentity().map(CashierShopFilter::refusal)
                .onFailure().recoverWithNull();
    }

    private static RestResponse<ApiResponse<Void>> refusal(SecurityIdentity identity) {
        if (identity.isAnonymous() || !identity.hasRole(Roles.CASHIER) || identity.hasRole(Roles.MANAGER)
                || identity.hasRole(Roles.ADMIN) || identity.hasRole(Roles.PLATFORM_ADMIN)) {
            return null;
        }
        if (identity.getPrincipal() instanceof JsonWebToken jwt && hasShop(jwt.getClaim(Caller.SHOP_CLAIM))) {
            return null;
        }
        return RestResponse.ResponseBuilder.<ApiResponse<Void>>create(403)
                .entity(ApiResponse.failure(StatusCode.FORBIDDEN, "a cashier's token must carry shop_id"))
                .type("application/json").build();
    }

    private static boolean hasShop(Object claim) {
        if (claim instanceof JsonNumber) {
            return true;
        }
        String text = claim instanceof JsonString s ? s.getString() : claim == null ? null : claim.toString();
        return text != null && !text.isBlank();
    }
}
