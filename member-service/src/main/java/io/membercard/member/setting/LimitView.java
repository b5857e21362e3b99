package io.membercard.member.setting;

/**
 * One of the tenant's limits, as {@code getlimits} lists it.
 *
 * @param name the limit's name, as {@code savelimit} takes it
 * @param what what it counts
 * @param value the tenant's limit now
 * @param platformDefault the platform's default ({@code membercard.limits.*})
 * @param set whether the tenant has a value of its own (else it follows the platform default)
 * @param max the most the caller may set: the platform default for the tenant's managers, the limit's ceiling for a
 *        platform admin
 * @param used what is used: today's count of a daily limit, the places held of heavy jobs; null for requests a
 *        second, or when it cannot be read now
 */
public record LimitView(String name, String what, long value, long platformDefault, boolean set, long max, Long used) {
}
