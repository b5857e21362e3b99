package io.membercard.common.limits;

import java.util.Arrays;
import java.util.stream.Collectors;

import io.membercard.common.api.ApiException;

/**
 * What one tenant may do at most: a rate, a daily quota or a number of jobs at once. Each has its name on the wire
 * ({@code requestsPerSecond}), a platform default ({@code membercard.limits.<name>}, see {@link LimitsConfig}) and
 * an absolute ceiling that no setting passes. A tenant's own value (member-service's {@code savelimit}) may only be
 * lower than the platform default: the limits protect the platform and the other tenants from one tenant; only the
 * platform operator raises a tenant above the default.
 */
public enum Limit {
    /** A tenant's requests a second to one service, all its users together (per service, across its instances). */
    REQUESTS_PER_SECOND("requestsPerSecond", Period.SECOND, 10_000, "requests a second to one service"),
    /**
     * Rows a tenant's list pages may ask of one service in a second, all its users together: a page costs its
     * {@code pageSize}, so a few pages of 500 weigh as much as many small look-ups (per service, across instances).
     */
    LIST_ROWS_PER_SECOND("listRowsPerSecond", Period.SECOND, 1_000_000, "list rows a second from one service"),
    /** Cards that batch orders ({@code batchcreate}) may create in a day. */
    BATCH_CARDS_PER_DAY("batchCardsPerDay", Period.DAY, 10_000_000, "cards made by batch orders a day"),
    /** Cards that partners (seed 003, {@code api/open/gateway} {@code mb_newcard}) may issue in a day. */
    PARTNER_CARDS_PER_DAY("partnerCardsPerDay", Period.DAY, 1_000_000, "cards issued by partners a day"),
    /** Member files uploaded (S1-37 upload) in a day. */
    UPLOADS_PER_DAY("uploadsPerDay", Period.DAY, 10_000, "member files uploaded a day"),
    /** Imports, migrations (dry runs too) and day closes queued or running at the same time. */
    HEAVY_JOBS("heavyJobs", Period.AT_ONCE, 20, "imports, migrations and day closes queued or running at once");

    /** What a limit counts over. */
    public enum Period {
        /** Requests within one clock second. */
        SECOND,
        /** Amounts within one day of the platform's zone (the count starts again at midnight). */
        DAY,
        /** Jobs held at the same moment. */
        AT_ONCE
    }

    private final String wireName;
    private final Period period;
    private final long ceiling;
    private final String what;

    Limit(String wireName, Period period, long ceiling, String what) {
        this.wireName = wireName;
        this.period = period;
        this.ceiling = ceiling;
        this.what = what;
    }

    /** The name in the API ({@code getlimits}, {@code savelimit}) and in messages, e.g. {@code batchCardsPerDay}. */
    public String wireName() {
        return wireName;
    }

    public Period period() {
        return period;
    }

    /** The most any tenant may be given, by anyone: a platform default or a platform admin's value above is refused. */
    public long ceiling() {
        return ceiling;
    }

    /** What it counts, for people: "cards made by batch orders a day". */
    public String what() {
        return what;
    }

    /** The limit named {@code name} on the wire; 400 naming {@code field} for any other text. */
    public static Limit of(String field, String name) {
        if (name == null || name.isBlank()) {
            throw ApiException.badInput(field, "is required");
        }
        for (Limit limit : values()) {
            if (limit.wireName.equals(name.trim())) {
                return limit;
            }
        }
        throw ApiException.badInput(field, "must be one of " + Arrays.stream(values()).map(Limit::wireName)
                .collect(Collectors.joining(", ")));
    }

    /** The limit named {@code name} on the wire, or null. */
    static Limit byWireName(String name) {
        for (Limit limit : values()) {
            if (limit.wireName.equals(name)) {
                return limit;
            }
        }
        return null;
    }
}
