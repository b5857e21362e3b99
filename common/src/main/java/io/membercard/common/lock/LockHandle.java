package io.membercard.common.lock;

/** A held lock: its Redis key and the random token that proves ownership. */
public record LockHandle(String name, String key, String token, long acquiredAtNanos) {
}
