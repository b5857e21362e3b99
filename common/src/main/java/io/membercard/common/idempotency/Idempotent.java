package io.membercard.common.idempotency;

/**
 * A command's result, whether it is the stored first result of an earlier identical request, and a warning for the
 * answer's {@code message} (empty when none; a replay carries none).
 */
public record Idempotent<T>(T result, boolean replayed, String message) {

    public Idempotent(T result, boolean replayed) {
        this(result, replayed, "");
    }

    /** This outcome with {@code warning} as its message (none when null). */
    public Idempotent<T> withMessage(String warning) {
        return warning == null ? this : new Idempotent<>(result, replayed, warning);
    }
}
