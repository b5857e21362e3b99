package io.membercard.common.limits;

/**
 * A tenant's own value of a limit, as member-service keeps it and answers it to the other services
 * ({@code GET /internal/service/limits?tenantId=}).
 *
 * @param name the limit's wire name ({@link Limit#wireName()})
 * @param value the value set
 * @param setByPlatform whether a platform admin set it: only then may it pass the platform default (a tenant's own
 *        value counts up to the default at most, also when the operator lowers the default later)
 */
public record LimitSetting(String name, long value, boolean setByPlatform) {
}
