package io.membercard.common.security;

/** The user a change is recorded against: tenant and user from the verified token. */
public record Operator(long tenantId, String userId, String userName) {
}
