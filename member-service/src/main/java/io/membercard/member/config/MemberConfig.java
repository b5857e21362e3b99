package io.membercard.member.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** member-service settings. */
@ConfigMapping(prefix = "membercard.member")
public interface MemberConfig {

    /** How often members whose creation lost card-service's answer are settled. */
    @WithDefault("30s")
    Duration pendingEvery();

    /** How often the import runner looks for a job to run. */
    @WithDefault("2s")
    Duration importEvery();

    /** The first wait before an import chunk that failed is tried again (it doubles, three times). */
    @WithDefault("1s")
    Duration importRetryWait();
}
