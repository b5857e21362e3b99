package io.membercard.member.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** member-service settings. */
@ConfigMapping(prefix = "membercard.member")
public interface MemberConfig {

    /**
     * How often the import runner takes turns (each run for up to 10 s); {@code off} stops it (the tests take its
     * turns themselves). Read by {@code ImportRunner}'s schedule; named here so that it is a known setting.
     */
    @WithDefault("2s")
    String importEvery();

    /** The first wait before an import chunk that failed is tried again (it doubles, three times). */
    @WithDefault("1s")
    Duration importRetryWait();

    /**
     * How long an import job may run, from its first turn: a job still running then ends FAILED (its rows imported so
     * far stay; importing the file again finishes it), so that no job, stuck or endless, holds its tenant's place or
     * its upload for ever.
     */
    @WithDefault("2h")
    Duration importTimeBudget();

    /**
     * How long a replica holds an import job for one chunk before another may take it over (the replica that held it
     * died, or stalled); a chunk must be enrolled within three quarters of it. The system tests, which kill
     * member-service in the middle of a chunk, shorten it so as not to wait two minutes.
     */
    @WithDefault("120s")
    Duration importLease();

    /** How many member files one instance reads at once (one per tenant at most). */
    @WithDefault("2")
    int uploadsAtOnce();

    /** How long an upload is kept when no import is waiting for it or running on it. */
    @WithDefault("24h")
    Duration uploadKeptFor();

    /** What a cashier (a till) may do with members. */
    Cashier cashier();

    interface Cashier {
        /**
         * How many member look-ups (search, get, a list by a whole key, update) one cashier, that is one token user
         * at one shop of one tenant, may make in a minute.
         */
        @WithDefault("30")
        int lookupsPerMinute();

        /** How long a member of another shop that a cashier found by a whole key stays readable by id for it. */
        @WithDefault("30m")
        Duration foundFor();
    }
}
