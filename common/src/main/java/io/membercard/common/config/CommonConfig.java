package io.membercard.common.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings every service shares. */
@ConfigMapping(prefix = "membercard.common")
public interface CommonConfig {

    /** Time zone in which dates are written and query dates are read (the contract's default tenant zone). */
    @WithDefault("Asia/Shanghai")
    String timeZone();

    /** Prefix of every Redis key, so that environments (dev, test, system test) can share one Redis. */
    @WithDefault("mc")
    String redisKeyPrefix();

    /** The Redis lock that guards balance changes. */
    Lock lock();

    interface Lock {
        /** How long a lock lives if its holder never releases it. */
        @WithDefault("5s")
        Duration ttl();

        /** How long a caller waits for a busy lock before giving up. */
        @WithDefault("2s")
        Duration maxWait();
    }
}
