package io.membercard.system;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every secret and piece of personal data the system tests send to the platform (card macs, phones, identity numbers,
 * passwords and partner secrets, pay codes, tokens), recorded where a test makes it (through {@link Platform#mac},
 * {@link Platform#phone} and the like), so that {@link LogScanTest} can show that no log of the platform holds one. The
 * system tests run in one JVM (Surefire's default fork), so every test class records here.
 */
final class SentSecrets {
    /** Shorter values would be found by chance in any log. */
    static final int SHORTEST = 6;
    private static final Map<String, String> SENT = new ConcurrentHashMap<>();

    private SentSecrets() {
    }

    /** Records {@code value}, a {@code what} ("a card mac", "a phone number", ...); answers the value. */
    static String record(String what, String value) {
        if (value == null || value.length() < SHORTEST) {
            throw new IllegalArgumentException(what + " shorter than " + SHORTEST + " characters cannot be looked "
                    + "for in the logs: make the test's value longer");
        }
        SENT.putIfAbsent(value, what);
        return value;
    }

    /** Each value recorded so far, with what it is. */
    static Map<String, String> all() {
        return Map.copyOf(SENT);
    }
}
