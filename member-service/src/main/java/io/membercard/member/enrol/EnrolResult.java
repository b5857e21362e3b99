package io.membercard.member.enrol;

/**
 * What became of one {@link EnrolRow}: {@code CREATED}, {@code EXISTING} (enrolled before under the same key:
 * nothing new), or {@code REJECTED} with the reason.
 */
public record EnrolResult(String sourceKey, Outcome outcome, Long memberId, Long cardId, String cardCode,
        String reason) {

    public enum Outcome {
        CREATED, EXISTING, REJECTED
    }

    static EnrolResult rejected(String key, String reason) {
        return new EnrolResult(key, Outcome.REJECTED, null, null, null, reason);
    }
}
