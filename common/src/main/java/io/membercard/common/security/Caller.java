package io.membercard.common.security;

import java.util.Objects;

import jakarta.enterprise.context.RequestScoped;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.membercard.common.api.ApiException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is calling, read only from the verified token: tenant ({@code tenant_id}), shop ({@code shop_id}), user
 * ({@code sub}, {@code preferred_username} or {@code name}) and roles. Values sent in a request body are never
 * used for these.
 */
@RequestScoped
public class Caller {
    public static final String TENANT_CLAIM = "tenant_id";
    public static final String SHOP_CLAIM = "shop_id";

    private final SecurityIdentity identity;

    public Caller(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The caller's tenant; a token without one is refused. */
    public long tenantId() {
        Long tenant = longClaim(TENANT_CLAIM);
        if (tenant == null) {
            throw ApiException.forbidden("the token carries no tenant_id");
        }
        return tenant;
    }

    /** The caller's shop, if the token names one. */
    public Long shopId() {
        return longClaim(SHOP_CLAIM);
    }

    public String userId() {
        return identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null
                ? jwt.getSubject()
                : identity.getPrincipal().getName();
    }

    public String userName() {
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            String name = text(jwt.getClaim("preferred_username"));
            if (name == null) {
                name = text(jwt.getClaim("name"));
            }
            if (name != null) {
                return name;
            }
        }
        return identity.getPrincipal().getName();
    }

    /** The tenant and user that a change is recorded against. */
    public Operator operator() {
        return new Operator(tenantId(), userId(), userName(), isManager());
    }

    /** Managers and admins act for every shop of their tenant. */
    public boolean isManager() {
        return identity.hasRole(Roles.MANAGER) || identity.hasRole(Roles.ADMIN);
    }

    public boolean isPlatformAdmin() {
        return identity.hasRole(Roles.PLATFORM_ADMIN);
    }

    /**
     * The shop a request may act for. Managers may name any shop or none (all shops). Cashiers act only for the
     * shop in their token: naming another one is refused, naming none means their own.
     */
    public Long shopScope(Long requested) {
        if (isManager() || isPlatformAdmin()) {
            return requested;
        }
        Long own = shopId();
        if (own == null) {
            throw ApiException.forbidden("a cashier's token must carry shop_id");
        }
        if (requested != null && !requested.equals(own)) {
            throw ApiException.forbidden("a cashier acts only for the shop in the token");
        }
        return own;
    }

    /**
     * The tenant whose data a request with a {@code tenantId} parameter reads. Only a platform admin may name
     * another tenant; for anybody else another tenant is answered as one that does not exist (null).
     */
    public Long readableTenant(Long requested) {
        if (requested == null) {
            return tenantId();
        }
        if (isPlatformAdmin()) {
            return requested;
        }
        return Objects.equals(requested, longClaim(TENANT_CLAIM)) ? requested : null;
    }

    private Long longClaim(String name) {
        if (!(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return null;
        }
        String raw = text(jwt.getClaim(name));
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiException.forbidden("the token's " + name + " is not a number");
        }
    }

    private static String text(Object claim) {
        if (claim == null) {
            return null;
        }
        if (claim instanceof JsonString s) {
            return s.getString();
        }
        if (claim instanceof JsonNumber n) {
            return n.toString();
        }
        return claim.toString();
    }
}
