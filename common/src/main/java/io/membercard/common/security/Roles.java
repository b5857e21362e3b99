package io.membercard.common.security;

/** The roles a token's {@code groups} claim can carry. */
public final class Roles {
    /** Works the till of one shop ({@code shop_id}). */
    public static final String CASHIER = "cashier";
    /** Runs the tenant's shops: configuration, card orders, any shop's data. */
    public static final String MANAGER = "manager";
    /** The tenant's administrator: everything a manager may do. */
    public static final String ADMIN = "admin";
    /** The platform operator: the only role that may name another tenant. */
    public static final String PLATFORM_ADMIN = "platform-admin";

    private Roles() {
    }
}
