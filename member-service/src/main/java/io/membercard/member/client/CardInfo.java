package io.membercard.member.client;

import java.time.Instant;

/** A card as card-service vouches for it (its CardCheck): what a member's view shows of it. */
public record CardInfo(long id, String code, int status, String statusName, long shopId, String shopName,
        long cardClassId, String cardClassName, int sendMode, Long memberId, Instant writtenAt, long version,
        int pointsValidDays) {
}
