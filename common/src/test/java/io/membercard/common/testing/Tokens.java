package io.membercard.common.testing;

import java.security.PrivateKey;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/** Mints bearer tokens the way the tenant's issuer would, for tests. */
public final class Tokens {
    private Long tenant;
    private Long shop;
    private Set<String> roles = new LinkedHashSet<>();
    private String userId = "7";
    private String userName = "tester";
    private String issuer = "membercard-dev";
    private long lifetimeSeconds = 3600;
    private PrivateKey key;

    private Tokens() {
    }

    /** A token of {@code tenant} with {@code roles}. */
    public static Tokens tenant(long tenant, String... roles) {
        Tokens tokens = new Tokens();
        tokens.tenant = tenant;
        tokens.roles.addAll(Arrays.asList(roles));
        return tokens;
    }

    /** A token without a tenant claim. */
    public static Tokens noTenant(String... roles) {
        Tokens tokens = new Tokens();
        tokens.roles.addAll(Arrays.asList(roles));
        return tokens;
    }

    public static String cashier(long tenant, long shop) {
        return tenant(tenant, "cashier").shop(shop).bearer();
    }

    public static String manager(long tenant) {
        return tenant(tenant, "manager").bearer();
    }

    public Tokens shop(long shop) {
        this.shop = shop;
        return this;
    }

    public Tokens user(String id, String name) {
        this.userId = id;
        this.userName = name;
        return this;
    }

    public Tokens issuer(String issuer) {
        this.issuer = issuer;
        return this;
    }

    public Tokens expired() {
        this.lifetimeSeconds = -60;
        return this;
    }

    public Tokens signedBy(PrivateKey key) {
        this.key = key;
        return this;
    }

    /** The {@code Authorization} header value. */
    public String bearer() {
        return "Bearer " + token();
    }

    public String token() {
        long now = System.currentTimeMillis() / 1000;
        JwtClaimsBuilder claims = Jwt.claims()
                .issuer(issuer)
                .audience("membercard")
                .subject(userId)
                .claim("preferred_username", userName)
                .groups(roles)
                .issuedAt(now)
                .expiresAt(now + lifetimeSeconds);
        if (tenant != null) {
            claims.claim("tenant_id", String.valueOf(tenant));
        }
        if (shop != null) {
            claims.claim("shop_id", String.valueOf(shop));
        }
        return claims.jws().keyId("membercard-test").sign(key == null ? TestKeys.privateKey() : key);
    }
}
