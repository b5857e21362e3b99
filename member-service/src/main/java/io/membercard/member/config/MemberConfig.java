package io.membercard.member.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** member-service settings. */
@ConfigMapping(prefix = "membercard.member")
public interface MemberConfig {

    /** The first wait before an import chunk that failed is tried again (it doubles, three times). */
    @WithDefault("1s")
    Duration importRetryWait();
}
