package io.membercard.card.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** card-service settings. */
@ConfigMapping(prefix = "membercard.card")
public interface CardConfig {

    /** Secret key of the HMAC that hashes card MACs; changing it invalidates every written card. */
    String secretPepper();

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

        /** How long a locked card stays locked. */
        @WithDefault("15m")
        Duration duration();
    }
}
