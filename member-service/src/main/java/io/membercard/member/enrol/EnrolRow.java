package io.membercard.member.enrol;

import java.math.BigDecimal;
import java.util.List;

import io.membercard.member.member.MemberRepository;

/**
 * One member to enrol in bulk (an import row, a partner's card): its profile, its card (an existing card's code, a
 * code to create, or none for a made-up one), and the money and points it brings. {@code sourceKey} identifies it
 * for good: enrolling the same key again finds the member instead of making another. The card's secret is
 * {@code mac} as it came (passed on to card-service, never kept) or {@code macHashes}, card-service's hashes of it
 * (an import's: a secret that waits in member-service is only ever kept hashed).
 */
public record EnrolRow(String sourceKey, MemberRepository.Profile profile, String cardCode, String mac,
        List<String> macHashes, int sendMode, Long expiresAt, BigDecimal actual, BigDecimal give, long points) {

    boolean bringsSomething() {
        return actual != null && actual.signum() > 0 || give != null && give.signum() > 0 || points > 0;
    }
}
