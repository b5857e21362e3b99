package io.membercard.member.enrol;

import java.math.BigDecimal;

import io.membercard.member.member.MemberRepository;

/**
 * One member to enrol in bulk (an import row, a partner's card): its profile, its card (an existing card's code, a
 * code to create, or none for a made-up one), and the money and points it brings. {@code sourceKey} identifies it
 * for good: enrolling the same key again finds the member instead of making another.
 */
public record EnrolRow(String sourceKey, MemberRepository.Profile profile, String cardCode, String mac, int sendMode,
        Long expiresAt, BigDecimal actual, BigDecimal give, long points) {

    boolean bringsSomething() {
        return actual != null && actual.signum() > 0 || give != null && give.signum() > 0 || points > 0;
    }
}
