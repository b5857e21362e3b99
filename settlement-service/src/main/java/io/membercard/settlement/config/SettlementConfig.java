package io.membercard.settlement.config;

import java.time.Duration;
import java.time.LocalTime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** settlement-service settings. */
@ConfigMapping(prefix = "membercard.settlement")
public interface SettlementConfig {

    /**
     * When a business day ends and the next begins, in the platform's zone ({@code membercard.common.time-zone}):
     * every ledger entry belongs to the day whose span holds it. A restaurant open past midnight would set 04:00.
     */
    @WithDefault("00:00")
    LocalTime cutOff();

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
