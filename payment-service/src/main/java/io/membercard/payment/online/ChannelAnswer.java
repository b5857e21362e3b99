package io.membercard.payment.online;

/**
 * What a channel said of a refund. Only {@link Outcome#SUCCEEDED} and {@link Outcome#FAILED} are final; a refund
 * whose answer is {@link Outcome#PENDING} or {@link Outcome#UNKNOWN} is asked about again with the same number, and
 * {@link Outcome#NOT_FOUND} (the channel never received it) is sent again with the same number.
 */
public record ChannelAnswer(Outcome outcome, String detail) {

    public enum Outcome {
        /** The channel paid the money back. */
        SUCCEEDED,
        /** The channel will not pay it back (closed, abnormal, or a refusal no refund exists for). */
        FAILED,
        /**
         * The channel refused the request. Final only once a query shows no refund under that number (a refusal of
         * a repeated request, or of a query's follow-up, can come while the first request was taken).
         */
        REFUSED,
        /** The channel accepted the refund and has not finished it (WeChat Pay's PROCESSING). */
        PENDING,
        /** No answer, an unreadable or unverifiable one, or one the channel documents as "unknown, ask again". */
        UNKNOWN,
        /** A query found no refund under that number: the request never arrived. */
        NOT_FOUND
    }

    public static ChannelAnswer of(Outcome outcome, String detail) {
        return new ChannelAnswer(outcome, detail == null
                ? ""
                : detail.length() > 200
                        ? detail.substring(0, 200)
                        : detail);
    }

    public boolean isFinal() {
        return outcome == Outcome.SUCCEEDED || outcome == Outcome.FAILED;
    }
}
