package io.membercard.card.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** card-service settings. */
@ConfigMapping(prefix = "membercard.card")
public interface CardConfig {

    /** Secret key of the HMAC that hashes card MACs; changing it invalidates every written card. */
    String secretPepper();

    /**
     * Keys that encrypt partners' secrets at rest (AES-256-GCM), as {@code id:base64} of 32 bytes, comma separated.
     * The first seals; the others only open what they sealed, until card-service has sealed every partner secret
     * again under the first (at start and every hour). Independent of {@link #secretPepper()}: rotating one never
     * breaks the other.
     */
    String partnerKeys();

    /** Most cards one batch order may create. */
    @WithDefault("100000")
    int maxBatchSize();

    /** Locking a card after repeated wrong MACs. */
    MacLockout macLockout();

    interface MacLockout {
        /** Wrong MACs within {@link #window()} that lock the card. */
        @WithDefault("5")
        int maxFailures();

        /** Period over which wrong MACs are counted. */
        @WithDefault("10m")
        Duration window();

        /** How long a locked card (or caller) stays locked. */
        @WithDefault("15m")
        Duration duration();

        /**
         * Card secrets one caller (the token's user at its shop) may try without a right one within
         * {@link #window()}, over all cards and look-ups by MAC alone; the next locks the caller out.
         */
        @WithDefault("20")
        int callerMaxFailures();

        /** New MACs one caller may write within {@link #window()} (writecard, rewrite, replacement onto a blank card). */
        @WithDefault("200")
        int callerMaxNewMacs();
    }
}
