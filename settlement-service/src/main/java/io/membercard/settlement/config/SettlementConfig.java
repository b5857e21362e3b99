package io.membercard.settlement.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** settlement-service settings. */
@ConfigMapping(prefix = "membercard.settlement")
public interface SettlementConfig {

    /**
    * How often the automatic close looks for days to close, as {@code @Scheduled} reads it ({@code 60s}; {@code off}:
    * never). Tenants switch automatic closing on in member-service's day-close settings.
    */
    @WithDefault("60s")
    String autoCloseEvery();

    /** How many business days back the automatic close looks (days missed while the platform was down). */
    @WithDefault("3")
    int autoCloseDays();

    /** How long a POST dayclose waits for its close before answering 902 (the close goes on; getstatus follows it). */
    @WithDefault("10s")
    Duration answerWithin();

    /**
     * How long a close waits for payment-service's events to catch up with the ledger it read before it reports
     * the difference as a failed check (events normally arrive within a second).
     */
    @WithDefault("15s")
    Duration eventLag();

    /**
     * How long a close's runner holds it between two renewals: a runner that died leaves the close RUNNING, shown as
     * 903 (interrupted) once this has passed, and the next POST resumes it.
     */
    @WithDefault("30s")
    Duration lease();
}
