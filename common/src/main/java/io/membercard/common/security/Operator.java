package io.membercard.common.security;

/**
 * The user a change is recorded against: tenant and user from the verified token, and whether the user is a manager
 * (or admin) of the tenant, which some rules let through where a cashier is refused.
 */
public record Operator(long tenantId, String userId, String userName, boolean manager) {

    /** A user who is not a manager (a cashier, or the system acting on its own). */
    public Operator(long tenantId, String userId, String userName) {
        this(tenantId, userId, userName, false);
    }
}
