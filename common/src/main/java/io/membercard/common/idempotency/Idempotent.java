package io.membercard.common.idempotency;

/** A command's result, and whether it is the stored first result of an earlier identical request. */
public record Idempotent<T>(T result, boolean replayed) {
}
